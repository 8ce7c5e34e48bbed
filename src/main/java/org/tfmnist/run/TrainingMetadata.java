package org.tfmnist.run;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.TensorFlow;
import org.tfmnist.data.DatasetSpec;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.presets.Preset;
import org.tfmnist.train.History;
import org.tfmnist.train.Recipe;

/**
 * {@code assets.extra/training.json} of an export: the preset and the tutorial it ports, the data,
 * layers, optimizer and recipe, the seed, the test figures, the history and the signature, so an
 * exported model says how it was made.
 */
final class TrainingMetadata {

  private TrainingMetadata() {}

  static String json(
      Preset preset,
      DatasetSpec dataset,
      Recipe recipe,
      long seed,
      LabeledImages train,
      LabeledImages val,
      LabeledImages test,
      History history,
      Metrics testMetrics,
      double perEpoch) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset.name());
    m.put("tutorial", preset.tutorial());
    m.put("dataset", dataset.id());
    m.put("train_images", train.count());
    m.put("validation_images", val.count());
    m.put("test_images", test.count());
    m.put("layers", preset.model().describe());
    m.put("params", preset.model().paramCount());
    m.put("optimizer", recipe.optimizer().config());
    m.put("dtype_policy", recipe.dtypePolicy().kerasName());
    m.put("loss", recipe.loss().kerasName());
    m.put("epochs", recipe.epochs());
    m.put("batch_size", recipe.batchSize());
    m.put("validation_split", recipe.validationSplit());
    m.put("seed", seed);
    m.put("test_loss", testMetrics.loss());
    m.put("test_accuracy", testMetrics.accuracy());
    m.put("seconds_per_epoch", perEpoch);
    m.put("history", history.toMap());
    m.put(
        "signature",
        Map.of(
            "key", SavedModelExporter.SIGNATURE,
            "input", SavedModelExporter.INPUT + ": float32 [-1,28,28] in [0,1], white on black",
            "outputs",
                SavedModelExporter.PROBABILITIES
                    + ": float32 [-1,10]; "
                    + SavedModelExporter.CLASS
                    + ": int64 [-1]"));
    m.put("tensorflow", TensorFlow.version());
    m.put("created", Instant.now().toString());
    try {
      return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(m) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
