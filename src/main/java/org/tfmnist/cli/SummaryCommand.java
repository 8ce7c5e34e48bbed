package org.tfmnist.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tf-mnist summary}: Keras' model.summary() for a preset. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description =
        "Print a preset's model as Keras' model.summary() does (all presets if none "
            + "is named), with its training recipe.")
final class SummaryCommand implements Callable<Integer> {

  @Option(
      names = {"-p", "--preset"},
      paramLabel = "NAME",
      completionCandidates = Usage.PresetNames.class,
      description = "One of: ${COMPLETION-CANDIDATES} (default: all).")
  String preset;

  @Option(
      names = "--model",
      paramLabel = "FILE",
      description = "A Keras file's model instead: Keras' JSON (model.to_json()), .keras or .h5.")
  java.nio.file.Path modelFile;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (preset != null) {
      Usage.oneOf(spec, "--preset", preset, Usage.PresetNames.all());
      if (modelFile != null) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--model and --preset name two models: give one of them");
      }
    }
    List<Preset> presets =
        modelFile != null
            ? List.of(org.tfmnist.run.KerasFiles.preset(modelFile))
            : preset == null ? List.copyOf(Presets.all().values()) : List.of(Presets.get(preset));
    boolean first = true;
    for (Preset p : presets) {
      if (!first) {
        System.out.println();
      }
      first = false;
      System.out.print(p.model().summary());
      System.out.println(p.name() + " (" + p.tutorial() + "): " + p.description());
      System.out.println(
          "Recipe: "
              + p.recipe().optimizer()
              + ", loss "
              + p.recipe().loss().kerasName()
              + ", batch "
              + p.recipe().batchSize()
              + ", "
              + p.recipe().epochs()
              + " epochs"
              + (p.recipe().validationSplit() > 0
                  ? ", validation_split " + p.recipe().validationSplit()
                  : ", validated on the test set"));
    }
    return 0;
  }
}
