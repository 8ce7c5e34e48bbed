package org.tfmnist.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.tfmnist.keras.KerasConfig;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.Recipe;
import org.tfmnist.train.TrainingException;

/**
 * What {@code train --resume} continues, in one place: the newest checkpoint is read once, before
 * anything runs, and checked against what was asked. The answer is the run to continue (its model,
 * recipe, random seed and data limits, as recorded) or every way the request differs from the
 * recorded run, which the command line reports as a usage error.
 */
public final class Resume {

  private Resume() {}

  /**
   * What the command line asks for: the preset (or the model file's) and whether {@code --preset}
   * was given, the recipe flags as a change to a recipe, and the flags a run records.
   */
  public record Asked(
      Preset preset,
      boolean presetGiven,
      Path modelFile,
      UnaryOperator<Recipe> overrides,
      Integer epochs,
      Long seed,
      int trainLimit,
      int testLimit,
      String dataset) {}

  /** The run to continue, from checkpoint {@code from}. */
  public record Plan(
      Checkpoints.Saved from, Preset preset, long seed, int trainLimit, int testLimit) {}

  /** The plan, or (when {@code differences} is not empty) why the request cannot continue. */
  public record Outcome(Plan plan, List<String> differences) {}

  /**
   * Reads the newest checkpoint in {@code ckDir} (null: the run keeps none) and checks it against
   * {@code asked}; a directory without one is a {@link TrainingException}.
   */
  public static Outcome read(Path ckDir, int keep, Asked asked) {
    if (ckDir == null) {
      return refused("--resume continues from checkpoints: it cannot go with --no-checkpoints");
    }
    Checkpoints.Saved saved =
        new Checkpoints(ckDir, keep)
            .latest()
            .orElseThrow(
                () ->
                    new TrainingException(
                        ckDir
                            + ": nothing to resume (no checkpoint there); start the run without"
                            + " --resume"));
    Checkpoints.State st = saved.state();
    List<String> differ = new ArrayList<>();
    Preset preset = model(saved, asked, differ);
    if (!st.dataset().equals(asked.dataset())) {
      differ.add("it was trained on " + st.dataset() + ", not " + asked.dataset());
    }
    Recipe recorded = st.recipe();
    Recipe wanted = asked.overrides().apply(recorded);
    int epochs = asked.epochs() != null ? asked.epochs() : recorded.epochs();
    if (st.model() != null && st.epoch() == 0) {
      // an imported model not trained here yet: its first run sets the recipe, seed and limits
      Plan first =
          new Plan(
              saved,
              preset.withRecipe(wanted.withEpochs(epochs)),
              asked.seed() != null ? asked.seed() : st.seed(),
              asked.trainLimit(),
              asked.testLimit());
      return new Outcome(first, differ);
    }
    if (!wanted.withEpochs(recorded.epochs()).equals(recorded)) {
      differ.add(
          String.format(
              "the recipe (%s, batch %d, %s) is not the recorded one (%s, batch %d, %s)",
              wanted.optimizer(),
              wanted.batchSize(),
              wanted.dtypePolicy().kerasName(),
              recorded.optimizer(),
              recorded.batchSize(),
              recorded.dtypePolicy().kerasName()));
    }
    if (asked.trainLimit() != 0 && asked.trainLimit() != st.trainLimit()) {
      differ.add("--train-limit " + asked.trainLimit() + " is not the recorded " + st.trainLimit());
    }
    if (asked.testLimit() != 0 && asked.testLimit() != st.testLimit()) {
      differ.add("--test-limit " + asked.testLimit() + " is not the recorded " + st.testLimit());
    }
    if (asked.seed() != null && asked.seed() != st.seed()) {
      differ.add("--seed " + asked.seed() + " is not the recorded " + st.seed());
    }
    if (epochs < st.epoch()) {
      differ.add(st.epoch() + " epochs are done, more than the " + epochs + " asked for");
    }
    Plan plan =
        new Plan(
            saved,
            preset.withRecipe(recorded.withEpochs(epochs)),
            st.seed(),
            st.trainLimit(),
            st.testLimit());
    return new Outcome(plan, differ);
  }

  private static Outcome refused(String why) {
    return new Outcome(null, List.of(why));
  }

  /**
   * The model the checkpoint trains: the imported one it records (a Keras file's), or the preset
   * asked for, which must be the one recorded.
   */
  private static Preset model(Checkpoints.Saved saved, Asked asked, List<String> differ) {
    Checkpoints.State st = saved.state();
    if (st.model() != null && !isPresetsOwn(st)) {
      Preset recorded =
          Preset.imported(st.preset(), KerasFiles.network(saved), st.recipe(), st.model());
      if (asked.presetGiven()) {
        differ.add(
            "it trains the imported model '"
                + st.preset()
                + "', not preset '"
                + asked.preset().name()
                + "' (leave --preset out)");
      }
      if (asked.modelFile() != null
          && !Objects.equals(asked.preset().definition(), recorded.definition())) {
        differ.add("it trains another model than " + asked.modelFile());
      }
      return recorded;
    }
    if (!st.preset().equals(asked.preset().name())) {
      differ.add("it is of preset '" + st.preset() + "', not '" + asked.preset().name() + "'");
    }
    return asked.preset();
  }

  /**
   * Whether a checkpoint is a built-in preset's run: its name is a preset's and the model it
   * records is that preset's (a model imported under a preset's name is not).
   */
  static boolean isPresetsOwn(Checkpoints.State st) {
    Preset p = Presets.all().get(st.preset());
    return p != null && KerasConfig.toJson(p.model(), null, null).equals(st.model());
  }
}
