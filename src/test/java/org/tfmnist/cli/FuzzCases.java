package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The cases of {@link CliFuzzTest}: every leaf command of the CLI, read from picocli's model (so a
 * new command or option is fuzzed without being listed here), started from a cheap baseline command
 * line with one option or positional replaced by a boundary value of its type: whole numbers 0, -1,
 * -4, the type's largest, one past it and a non-number; fractions 0, -1, 1e30, NaN, -Infinity and a
 * non-number; paths missing, a directory (where a file is expected), a file (where a directory is
 * expected) and a path under /proc where nothing can be created; text "bogus" and "".
 */
final class FuzzCases {

  /** One command line to run. */
  record Case(String label, List<String> args) {}

  /** A command's cheap command line: options (null value: a flag) then positionals. */
  record Baseline(Map<String, String> options, List<String> positionals) {
    static Baseline of(List<String> positionals, String... kv) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        m.put(kv[i], kv[i + 1]);
      }
      return new Baseline(m, positionals);
    }
  }

  /** Where a case's bad paths are: made fresh for each case. */
  record Paths(Path missing, Path dir, Path file, Path proc) {}

  private FuzzCases() {}

  static final List<String> INTS = List.of("0", "-1", "-4", "2147483647", "2147483648", "x7");
  static final List<String> LONGS =
      List.of("0", "-1", "-4", "9223372036854775807", "9223372036854775808", "x7");
  static final List<String> DOUBLES = List.of("0", "-1", "1e30", "NaN", "-Infinity", "x7");

  /** Paths never given a directory: serve's models directory would start a server. */
  static final Set<String> ONLY_BAD_VALUES = Set.of("serve --models");

  /**
   * The cases for every leaf command under {@code root} that has a baseline; a leaf with none fails
   * the test (a new command must say how to run it cheaply).
   */
  static List<Case> all(CommandLine root, Map<String, Baseline> baselines, Paths paths) {
    List<Case> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    collect(root, "", baselines, paths, out, missing);
    if (!missing.isEmpty()) {
      throw new AssertionError("no baseline for " + missing);
    }
    return out;
  }

  private static void collect(
      CommandLine cl,
      String prefix,
      Map<String, Baseline> baselines,
      Paths paths,
      List<Case> out,
      List<String> missing) {
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      CommandLine sub = e.getValue();
      if (!e.getKey().equals(sub.getCommandName()) || sub.getCommandName().equals("help")) {
        continue; // an alias, or picocli's help
      }
      String name = (prefix + " " + e.getKey()).strip();
      if (!sub.getSubcommands().isEmpty()) {
        collect(sub, name, baselines, paths, out, missing);
        continue;
      }
      Baseline b = baselines.get(name);
      if (b == null) {
        missing.add(name);
        continue;
      }
      out.add(new Case(name + " (baseline)", line(name, b, null, null)));
      CommandSpec spec = sub.getCommandSpec();
      for (OptionSpec o : spec.options()) {
        if (o.arity().max() == 0 || o.usageHelp() || o.versionHelp()) {
          continue;
        }
        for (String v : values(o.type(), paths, name, o.longestName())) {
          out.add(
              new Case(name + " " + o.longestName() + " " + v, line(name, b, o.longestName(), v)));
        }
      }
      for (PositionalParamSpec p : spec.positionalParameters()) {
        Class<?> t = p.auxiliaryTypes().length > 0 ? p.auxiliaryTypes()[0] : p.type();
        for (String v : values(t, paths, name, "positional")) {
          List<String> args = line(name, b, null, null);
          args.removeAll(b.positionals());
          args.add(v);
          out.add(new Case(name + " " + p.paramLabel() + "=" + v, args));
        }
      }
    }
  }

  private static List<String> values(Class<?> type, Paths paths, String cmd, String option) {
    if (type == int.class || type == Integer.class) {
      return INTS;
    }
    if (type == long.class || type == Long.class) {
      return LONGS;
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return DOUBLES;
    }
    if (type == Path.class) {
      List<String> v =
          new ArrayList<>(
              List.of(
                  paths.missing().toString(), paths.file().toString(), paths.proc().toString()));
      if (!ONLY_BAD_VALUES.contains(cmd + " " + option)) {
        v.add(1, paths.dir().toString());
      }
      return v;
    }
    if (type == String.class) {
      return List.of("bogus", "");
    }
    return List.of();
  }

  /** The baseline with {@code option} set to {@code value} (added if the baseline lacks it). */
  private static List<String> line(String cmd, Baseline b, String option, String value) {
    List<String> args = new ArrayList<>(List.of(cmd.split(" ")));
    boolean set = false;
    for (Map.Entry<String, String> e : b.options().entrySet()) {
      args.add(e.getKey());
      if (e.getKey().equals(option)) {
        args.add(value);
        set = true;
      } else if (e.getValue() != null) {
        args.add(e.getValue());
      }
    }
    if (option != null && !set) {
      args.add(option);
      args.add(value);
    }
    args.addAll(b.positionals());
    return args;
  }
}
