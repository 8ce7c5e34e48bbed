package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tensorflow.types.TFloat32;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.graph.CheckpointWeights;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
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
            + "one epoch-NNNN directory) as a SavedModel to MODELS/NAME/VERSION.")
final class ExportCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--checkpoint"},
      required = true,
      paramLabel = "DIR",
      description = "checkpoints/NAME (its latest epoch) or checkpoints/NAME/epoch-NNNN.")
  Path checkpoint;

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
    Checkpoints.Saved saved = Checkpoints.read(checkpoint);
    Preset preset = Presets.get(saved.state().preset());
    Path modelDir = model.modelDir(preset.name());
    Map<String, TFloat32> weights = CheckpointWeights.read(preset.model(), saved.prefix());
    Path target;
    try {
      target =
          SavedModelExporter.exportVersion(
              preset.model(), weights, modelDir, model.version, saved.state().history().files());
    } finally {
      TrainingGraph.closeAll(weights);
    }
    System.out.println(
        "Exported "
            + saved.dir()
            + " ("
            + preset.name()
            + ", epoch "
            + saved.state().epoch()
            + ") to "
            + target);
    return 0;
  }
}
