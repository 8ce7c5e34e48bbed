package org.tfmnist.cli;

import java.nio.file.Path;
import org.tfmnist.presets.Preset;
import org.tfmnist.run.KerasFiles;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.Recipe;
import org.tfmnist.train.TrainingException;
import picocli.CommandLine.ParameterException;

/**
 * What {@code train --resume} continues, read from the newest checkpoint before anything runs: the
 * model it records (an imported one), and the recorded recipe with the flags checked against it.
 */
final class Resumption {

  private Resumption() {}

  /**
   * The model an imported run's checkpoint records (a Keras file's, not a preset), which a resume
   * continues; empty for a preset's run.
   */
  static java.util.Optional<Preset> recordedModel(TrainCommand c, Path ckDir) {
    if (ckDir == null) {
      return java.util.Optional.empty();
    }
    return new Checkpoints(ckDir, c.keepCheckpoints)
        .latest()
        .filter(s -> s.state().model() != null && !isPresetsOwn(s.state()))
        .map(
            s -> {
              if (c.spec.commandLine().getParseResult().hasMatchedOption("--preset")) {
                throw new ParameterException(
                    c.spec.commandLine(),
                    "--resume continues the run recorded in "
                        + ckDir
                        + ": it trains the imported model '"
                        + s.state().preset()
                        + "', not preset '"
                        + c.preset
                        + "' (leave --preset out)");
              }
              Checkpoints.State st = s.state();
              return Preset.imported(st.preset(), KerasFiles.network(s), st.recipe(), st.model());
            });
  }

  /**
   * Whether a checkpoint is a built-in preset's run: its name is a preset's and the model it
   * records is that preset's (a model imported under a preset's name is not).
   */
  static boolean isPresetsOwn(Checkpoints.State st) {
    Preset p = org.tfmnist.presets.Presets.all().get(st.preset());
    return p != null
        && org.tfmnist.keras.KerasConfig.toJson(p.model(), null, null).equals(st.model());
  }

  /**
   * The recorded run's recipe, continued: the flags it was started with may be given again (they
   * must agree with what was recorded), only --c.epochs may change; without --c.epochs the run goes
   * to the c.epochs it was started for.
   */
  static Recipe resumedRecipe(TrainCommand c, Path ckDir) {
    if (ckDir == null) {
      throw new ParameterException(
          c.spec.commandLine(),
          "--resume continues from checkpoints: it cannot go with --no-checkpoints");
    }
    Checkpoints.State st =
        new Checkpoints(ckDir, c.keepCheckpoints)
            .latest()
            .orElseThrow(
                () ->
                    new TrainingException(
                        ckDir
                            + ": nothing to resume (no checkpoint "
                            + "there); start the run without --resume"))
            .state();
    Recipe recorded = st.recipe();
    Recipe asked = c.overrides(recorded);
    if (st.model() != null && st.epoch() == 0) {
      // an imported model not trained here yet: its first run sets the batch size and the limits
      return asked.withEpochs(c.epochs != null ? c.epochs : recorded.epochs());
    }
    java.util.List<String> differ = new java.util.ArrayList<>();
    if (!asked.withEpochs(recorded.epochs()).equals(recorded)) {
      differ.add(
          "the recipe ("
              + asked.optimizer()
              + ", batch "
              + asked.batchSize()
              + ", "
              + asked.dtypePolicy().kerasName()
              + ") is not the recorded one ("
              + recorded.optimizer()
              + ", batch "
              + recorded.batchSize()
              + ", "
              + recorded.dtypePolicy().kerasName()
              + ")");
    }
    if (c.trainLimit != 0 && c.trainLimit != st.trainLimit()) {
      differ.add("--train-limit " + c.trainLimit + " is not the recorded " + st.trainLimit());
    }
    if (c.testLimit != 0 && c.testLimit != st.testLimit()) {
      differ.add("--test-limit " + c.testLimit + " is not the recorded " + st.testLimit());
    }
    if (!differ.isEmpty()) {
      throw new ParameterException(
          c.spec.commandLine(),
          "--resume continues the run recorded in " + ckDir + ": " + String.join("; ", differ));
    }
    return c.epochs != null ? asked.withEpochs(c.epochs) : recorded;
  }
}
