package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.VariableDef;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.train.Model;

/**
 * A model with BatchNormalization (Reshape, Conv2D(8, same, no bias), BatchNormalization, ReLU,
 * MaxPooling2D, Flatten, Dense(10, softmax)) trains with {@link Model} for an epoch on 2,000
 * images, which moves its moving statistics; exported as a SavedModel and reloaded it predicts the
 * trained model's probabilities (1e-5), which differ from those with the initial moving statistics:
 * the moving statistics are exported and used at inference. The SavedModel lists them in {@code
 * variables} but not in {@code trainable_variables}.
 */
class BatchNormModelTest {

  private static final String MEAN = "batch_normalization_moving_mean";
  private static final String VARIANCE = "batch_normalization_moving_variance";

  @TempDir Path tmp;

  private static Sequential network() {
    return Sequential.of(
        "bn_cnn",
        Sequential.input(28, 28),
        new Reshape(28, 28, 1),
        new Conv2D(8, 3, 3, 1, Padding.SAME, Activation.LINEAR).withoutBias(),
        new BatchNormalization(),
        new ActivationLayer(Activation.RELU),
        new MaxPooling2D(2),
        new Flatten(),
        new Dense(10, Activation.SOFTMAX));
  }

  private static float[] values(TFloat32 t) {
    float[] a = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(a);
    return a;
  }

  private static double maxDiff(float[][] a, float[][] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      for (int c = 0; c < a[i].length; c++) {
        d = Math.max(d, Math.abs(a[i][c] - b[i][c]));
      }
    }
    return d;
  }

  @Test
  void theExportedModelUsesTheTrainedMovingStatistics() throws IOException {
    LabeledImages train = TestData.train().first(2000);
    LabeledImages test = TestData.test().first(500);
    Path dir = tmp.resolve("bn/1");
    float[][] trained;
    try (Model m = new Model(network(), 3, null)) {
      m.compile(OptimizerSpec.adam(), Loss.CATEGORICAL_CROSSENTROPY);
      // Keras' default batch of 32: 63 steps (with 128, the moving statistics move only 15 % of
      // the way in 16 steps, and the accuracy at inference is about 0.57, as in Keras)
      m.fit(train, test, 1, 32, List.of());
      Metrics eval = m.evaluate(test);
      assertTrue(eval.accuracy() > 0.7, "accuracy after one epoch " + eval.accuracy());
      WeightSnapshot w = m.weights();
      try {
        // 63 steps from (0, 1): each moved 1 - 0.99^63 = 47 % of the way to the batches'
        for (float v : values(w.get(MEAN))) {
          assertTrue(v != 0f && Float.isFinite(v), "moving_mean " + v);
        }
        for (float v : values(w.get(VARIANCE))) {
          assertTrue(v != 1f && v > 0, "moving_variance " + v);
        }
      } finally {
        w.close();
      }
      trained = m.predict(test);
      m.export(dir, Map.of());

      // the same weights with the initial moving statistics predict visibly otherwise
      Map<String, TFloat32> values = new LinkedHashMap<>();
      try (WeightSnapshot now = m.weights()) {
        for (Map.Entry<String, TFloat32> e : now.asMap().entrySet()) {
          TFloat32 copy = TFloat32.tensorOf(e.getValue().shape());
          e.getValue().copyTo(copy);
          values.put(e.getKey(), copy);
        }
      }
      values.put(MEAN, TFloat32.tensorOf(Shape.of(8), DataBuffers.of(new float[8]))).close();
      values
          .put(
              VARIANCE,
              TFloat32.tensorOf(Shape.of(8), DataBuffers.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1})))
          .close();
      try (WeightSnapshot reset = WeightSnapshot.of(values)) {
        m.setWeights(reset);
        double d = maxDiff(trained, m.predict(test));
        assertTrue(d > 1e-2, "the initial moving statistics change the probabilities by " + d);
      }
    }

    try (ServingModel served = ServingModel.load(dir)) {
      float[][] p = served.predict(test);
      double d = maxDiff(trained, p);
      assertTrue(d <= 1e-5, "max |p_served - p_trained| = " + d);
    }

    SavedModel sm = SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb")));
    MetaGraphDef meta = sm.getMetaGraphs(0);
    Set<String> all = variables(meta.getCollectionDefOrThrow("variables"));
    Set<String> trainable = variables(meta.getCollectionDefOrThrow("trainable_variables"));
    assertEquals(
        new TreeSet<>(
            Set.of(
                "conv2d_kernel",
                "batch_normalization_gamma",
                "batch_normalization_beta",
                MEAN,
                VARIANCE,
                "dense_kernel",
                "dense_bias")),
        all);
    assertEquals(
        new TreeSet<>(
            Set.of(
                "conv2d_kernel",
                "batch_normalization_gamma",
                "batch_normalization_beta",
                "dense_kernel",
                "dense_bias")),
        trainable);
  }

  /**
   * The weights a collection of VariableDefs lists, by their variable's name as Python reads it
   * ("dense_kernel:0"); each trainable flag fits.
   */
  private static Set<String> variables(CollectionDef c) throws IOException {
    Set<String> names = new TreeSet<>();
    for (com.google.protobuf.ByteString b : c.getBytesList().getValueList()) {
      VariableDef v = VariableDef.parseFrom(b);
      assertTrue(v.getVariableName().endsWith(":0"), v.getVariableName());
      assertTrue(v.getSnapshotName().endsWith("/Read/ReadVariableOp:0"), v.getSnapshotName());
      String name = v.getVariableName().substring(0, v.getVariableName().length() - 2);
      assertEquals(!name.contains("moving"), v.getTrainable(), name + "'s trainable flag");
      names.add(name);
    }
    return names;
  }
}
