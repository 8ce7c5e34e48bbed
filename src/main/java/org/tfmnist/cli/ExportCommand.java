package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.graph.CheckpointWeights;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.run.KerasFiles;
import org.tfmnist.train.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tf-mnist export}: a training checkpoint to a SavedModel. */
@Command(
    name = "export",
    sortOptions = false,
    description =
        "Export a training checkpoint (the latest epoch of a checkpoint directory, or "
            + "one epoch-NNNN directory) as a SavedModel to MODELS/NAME/VERSION, or with "
            + "--keras as a Keras 3 .keras file.")
final class ExportCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--checkpoint"},
      required = true,
      paramLabel = "DIR",
      description = "checkpoints/NAME (its latest epoch) or checkpoints/NAME/epoch-NNNN.")
  Path checkpoint;

  @Option(
      names = "--keras",
      paramLabel = "FILE",
      description =
          "Write a Keras 3 .keras file instead of a SavedModel: keras.saving.load_model opens it, "
              + "compiled, and its fit continues from the checkpoint's weights and optimizer state.")
  Path keras;

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
    if (keras != null) {
      Usage.check(
          spec,
          keras.getFileName() != null && keras.getFileName().toString().endsWith(".keras"),
          "--keras",
          "'" + keras + "'",
          "a file name ending in .keras (Keras 3's format, as model.save requires)");
      OutputPaths.file(keras);
    }
    Checkpoints.Saved saved = Checkpoints.read(checkpoint);
    String name = saved.state().preset();
    Sequential network = KerasFiles.network(saved);
    Path target;
    if (keras != null) {
      KerasFiles.exportKeras(saved, keras);
      target = keras;
    } else {
      try (WeightSnapshot weights = CheckpointWeights.read(network, saved.prefix())) {
        target =
            SavedModelExporter.exportVersion(
                network,
                weights.asMap(),
                model.modelDir(name),
                model.version,
                saved.state().history().files());
      }
    }
    System.out.println(
        "Exported "
            + saved.dir()
            + " ("
            + name
            + ", epoch "
            + saved.state().epoch()
            + ") to "
            + target);
    return 0;
  }
}
