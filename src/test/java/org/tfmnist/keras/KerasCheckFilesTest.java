package org.tfmnist.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.graph.OptimizerState;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Presets;

/**
 * Writes what python/keras_weights_check.py gives Keras (only when -Dkeras.check.dir=DIR is set):
 * the mlp preset after two RMSprop steps on 32 images as model.weights.h5 and as a .keras, its
 * probabilities, the images, and its weights after a third step.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KerasCheckFilesTest {

  @Test
  void writeFilesForPython() throws Exception {
    String dir = System.getProperty("keras.check.dir");
    assumeTrue(dir != null, "only for python/keras_weights_check.py");
    Path out = Path.of(dir);
    Files.createDirectories(out);
    Sequential model = Presets.mlp().model();
    OptimizerSpec opt = OptimizerSpec.rmsprop();
    LabeledImages data = TestData.train().first(32);
    try (TrainingGraph g =
        new TrainingGraph(
            new TrainingGraph.Spec(
                model,
                Loss.CATEGORICAL_CROSSENTROPY,
                opt,
                32,
                11,
                TrainingGraph.DEFAULT_EVAL_CHUNK,
                DTypePolicy.FLOAT32),
            data,
            Map.of("d", data),
            null)) {
      for (int s = 0; s < 2; s++) {
        g.startEpoch(s);
        g.step();
      }
      WeightSnapshot w = g.weightValues();
      try (OptimizerState state = g.optimizerState()) {
        KerasWeightsFile.write(out.resolve("mlp.weights.h5"), model, w.asMap(), state);
        KerasArchive.write(
            out.resolve("mlp.keras"),
            Files.readString(Path.of("src/test/resources/keras/mlp_config.json")),
            Files.readAllBytes(out.resolve("mlp.weights.h5")));
      } finally {
        w.close();
      }
      float[][] p = g.probabilities("d");
      ByteBuffer b = ByteBuffer.allocate(32 * 10 * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] row : p) {
        for (float v : row) {
          b.putFloat(v);
        }
      }
      Files.write(out.resolve("probs.f32"), b.array());
      Files.write(out.resolve("x.u8"), data.pixels());
      Files.write(out.resolve("y.u8"), data.labels());
      g.startEpoch(2);
      g.step();
      WeightSnapshot after = g.weightValues();
      try {
        KerasWeightsFile.write(out.resolve("after.weights.h5"), model, after.asMap(), null);
      } finally {
        after.close();
      }
      assertEquals(3, g.globalStep());
    }
  }
}
