package org.tfmnist.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where an export goes: MODELS/NAME/VERSION (shared by train and export). */
final class ModelOptions {

  @Option(
      names = "--models-dir",
      defaultValue = "models",
      paramLabel = "DIR",
      description = "Where SavedModels go (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Model name under the models directory (default: the preset's).")
  String name;

  @Option(
      names = "--version",
      paramLabel = "N",
      defaultValue = "0",
      description = "Version directory to export to (default: one more than the highest).")
  long version;

  /** A name is one directory under the models directory; a version is positive (or 0). */
  void validate(picocli.CommandLine.Model.CommandSpec spec) {
    if (name != null) {
      Usage.check(
          spec,
          name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}") && !name.contains(".."),
          "--name",
          "'" + name + "'",
          "one directory name: letters, digits, '_', '-', '.', not starting with '.'");
    }
    Usage.check(spec, version >= 0, "--version", version, "0 (the next free one) or more");
  }

  String name(String fallback) {
    return name != null ? name : fallback;
  }

  /** MODELS/NAME. */
  Path modelDir(String fallbackName) {
    return modelsDir.resolve(name(fallbackName));
  }
}
