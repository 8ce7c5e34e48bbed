package org.tfmnist.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tfmnist.data.BadInputException;
import org.tfmnist.run.KerasFiles;
import org.tfmnist.train.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tf-mnist import}: a Keras model file to a SavedModel and a checkpoint. */
@Command(
    name = "import",
    sortOptions = false,
    description =
        "Import a Keras model file (Keras 3's .keras, or a Keras 2 / tf.keras .h5) as a SavedModel "
            + "MODELS/NAME/VERSION, and, when the file was compiled, as the checkpoint "
            + "CHECKPOINTS/NAME/epoch-0000 with its optimizer's state, from which "
            + "'tf-mnist train --name NAME --resume --epochs N' continues training.")
final class ImportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The .keras or .h5 file.")
  Path file;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description = "Where the checkpoint goes (default: checkpoints/NAME).")
  Path checkpointDir;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "Random seed for training on (default: ${DEFAULT-VALUE}).")
  long seed;

  // no standard -V/--version here: --version is the export's version number
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Override
  public Integer call() {
    model.validate(spec);
    if (model.name == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '--name=NAME'");
    }
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of(file, Files.exists(file) ? "not a regular file" : "no such file");
    }
    Path ckDir = checkpointDir != null ? checkpointDir : Path.of("checkpoints", model.name);
    if (new Checkpoints(ckDir, 1).latest().isPresent()) {
      throw BadInputException.of(
          ckDir, "holds a training run already: import under another --name or --checkpoint-dir");
    }
    if (Files.exists(model.modelsDir)) {
      OutputPaths.directory(model.modelsDir); // else it is made once the file has been read
    }
    KerasFiles.Imported r =
        KerasFiles.importKeras(
            file, model.name, model.modelDir(model.name), model.version, ckDir, seed);
    System.out.printf(
        Locale.ROOT,
        "Imported %s (%d layers, %,d parameters) as %s%n",
        file,
        r.network().layers().size(),
        r.network().paramCount(),
        r.version());
    if (r.checkpoint() == null) {
      System.out.println(
          "No checkpoint: the file was saved without compile(), so it names no optimizer or loss");
    } else {
      System.out.printf(
          Locale.ROOT,
          "Checkpoint %s (optimizer state at step %d); continue training with:%n"
              + "  tf-mnist train --name %s --resume --epochs N%s%n",
          r.checkpoint(),
          r.iterations(),
          model.name,
          checkpointDir != null ? " --checkpoint-dir " + checkpointDir : "");
    }
    return 0;
  }
}
