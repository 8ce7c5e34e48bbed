package org.tfmnist.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Presets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values that picocli's types cannot express (ranges, names), as picocli's own
 * usage errors: one line, the usage, exit code 2. Commands run them before anything native runs or
 * anything is written or deleted.
 */
final class Usage {

  private Usage() {}

  /** A usage error unless {@code ok}: "Invalid value for option '--x': v (must be range)". */
  static void check(
      CommandLine.Model.CommandSpec spec, boolean ok, String option, Object value, String range) {
    if (!ok) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '" + option + "': " + value + " (must be " + range + ")");
    }
  }

  /** A usage error unless {@code value} is one of {@code allowed} (case-insensitive). */
  static String oneOf(
      CommandLine.Model.CommandSpec spec, String option, String value, Collection<String> allowed) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '"
              + option
              + "': '"
              + value
              + "' (expected one of: "
              + String.join(", ", allowed)
              + ")");
    }
    return v;
  }

  /** The presets' names, for help texts and checks. */
  static final class PresetNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return new ArrayList<>(Presets.all().keySet()).iterator();
    }

    static List<String> all() {
      return List.copyOf(Presets.all().keySet());
    }
  }

  /** The optimizers' names. */
  static final class OptimizerNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return all().iterator();
    }

    static List<String> all() {
      List<String> out = new ArrayList<>();
      for (OptimizerSpec.Kind k : OptimizerSpec.Kind.values()) {
        out.add(k.name().toLowerCase(Locale.ROOT));
      }
      return out;
    }
  }
}
