package org.tfmnist.run;

import java.nio.file.Path;
import java.util.Map;
import org.tfmnist.keras.KerasConfig;
import org.tfmnist.keras.KerasModelConfig;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.Model;
import org.tfmnist.train.Recipe;
import org.tfmnist.util.ErrorReason;

/**
 * Keras model files and this project's checkpoints: a checkpoint written as a {@code .keras} file
 * ({@code tf-mnist export --checkpoint DIR --keras FILE}), and a Keras file imported as a
 * SavedModel version and a checkpoint to continue training from ({@code tf-mnist import}).
 */
public final class KerasFiles {

  private KerasFiles() {}

  /** What an import wrote: the SavedModel version, and the checkpoint (null when not compiled). */
  public record Imported(Path version, Path checkpoint, Sequential network, long iterations) {}

  /**
   * The model a Keras file defines, to train from scratch: Keras' JSON ({@code model.to_json()}, or
   * a {@code config.json}) or a {@code .keras} / {@code .h5} file, whose weights are not used. It
   * trains as its {@code compile_config} says, else with Keras' {@code compile()} default optimizer
   * (RMSprop) and categorical cross-entropy; named by the model's name.
   */
  public static Preset preset(Path file) {
    KerasModelConfig config;
    String definition;
    if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
      org.tfmnist.data.DataFiles.requireRegular(file);
      try {
        if (java.nio.file.Files.size(file) > org.tfmnist.keras.KerasArchive.MAX_JSON_BYTES) {
          throw new org.tfmnist.keras.KerasFileException(
              file,
              "more than a model's JSON may hold ("
                  + org.tfmnist.keras.KerasArchive.MAX_JSON_BYTES
                  + " bytes)");
        }
        config = KerasConfig.fromJson(file, java.nio.file.Files.readString(file));
      } catch (java.io.IOException e) {
        throw new org.tfmnist.keras.KerasFileException(
            file, "cannot read: " + ErrorReason.of(e), e);
      }
    } else {
      try (org.tfmnist.keras.KerasModelFile.Loaded l =
          org.tfmnist.keras.KerasModelFile.read(file)) {
        config = l.config();
      }
    }
    definition = KerasConfig.toJson(config.network(), null, null);
    Recipe recipe =
        config.compiled() != null
            ? Recipe.compile(config.compiled().optimizer(), config.compiled().loss())
            : Recipe.compile(OptimizerSpec.rmsprop(), Loss.CATEGORICAL_CROSSENTROPY);
    return Preset.imported(
        config.network().name().replaceAll("[^A-Za-z0-9_.-]", "_"),
        config.network(),
        recipe,
        definition);
  }

  /** The network a checkpoint trains: the one it records, else its preset's. */
  public static Sequential network(Checkpoints.Saved saved) {
    Checkpoints.State st = saved.state();
    return st.model() != null
        ? KerasConfig.fromJson(saved.dir().resolve(Checkpoints.STATE), st.model()).network()
        : Presets.get(st.preset()).model();
  }

  /**
   * Writes checkpoint {@code saved} as a Keras 3 {@code .keras} file: the network, compiled with
   * the checkpoint's optimizer and loss, its weights and the optimizer's state.
   */
  public static void exportKeras(Checkpoints.Saved saved, Path file) {
    Checkpoints.State st = saved.state();
    Recipe r = st.recipe();
    try (Model m = new Model(network(saved), st.seed(), null).compile(r.optimizer(), r.loss())) {
      saved.restoreInto(m);
      m.saveKeras(file);
    }
  }

  /**
   * Imports {@code file}: a SavedModel as version {@code version} of {@code modelDir} (0: its next
   * free one), and, when the file was compiled, epoch 0 of {@code checkpointDir} with the weights,
   * the optimizer's state and the model's definition, from which {@code tf-mnist train --resume}
   * continues.
   */
  public static Imported importKeras(
      Path file, String name, Path modelDir, long version, Path checkpointDir, long seed) {
    try (Model m = Model.loadKeras(file, seed)) {
      Map<String, String> source = Map.of("source.txt", "Imported from " + file + "\n");
      Path written =
          version > 0
              ? m.exportVersion(modelDir, version, source)
              : m.exportNextVersion(modelDir, source);
      if (m.optimizer() == null) {
        return new Imported(written, null, m.network(), 0);
      }
      Recipe recipe = Recipe.compile(m.optimizer(), m.loss());
      m.build();
      long step = m.iterations();
      String definition = KerasConfig.toJson(m.network(), null, null);
      Checkpoints.Saved saved =
          new Checkpoints(checkpointDir, 1)
              .save(
                  m,
                  Checkpoints.State.builder(name)
                      .recipe(recipe)
                      .seed(seed)
                      .globalStep(step)
                      .model(definition)
                      .build(),
                  true);
      return new Imported(written, saved.dir(), m.network(), step);
    }
  }
}
