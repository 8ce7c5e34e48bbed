package org.tfmnist.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfmnist.nn.Activation.RELU;
import static org.tfmnist.nn.Activation.SOFTMAX;
import static org.tfmnist.nn.Sequential.input;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;
import org.tfmnist.data.BadInputException;
import org.tfmnist.graph.OptimizerState;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Flatten;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.optim.OptimizerSpec;

/**
 * Keras 3's model.weights.h5 written and read back, with the optimizer's state: a graph that
 * continues from the file takes the same step as the graph that wrote it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KerasWeightsFileTest {

  @TempDir Path tmp;

  static Sequential mlp(int units) {
    return Sequential.of(
        "sequential", input(28, 28), new Flatten(), new Dense(units, RELU), new Dense(10, SOFTMAX));
  }

  static TrainingGraph graph(Sequential model, OptimizerSpec opt) {
    return new TrainingGraph(
        new TrainingGraph.Spec(
            model,
            Loss.CATEGORICAL_CROSSENTROPY,
            opt,
            32,
            7,
            TrainingGraph.DEFAULT_EVAL_CHUNK,
            DTypePolicy.FLOAT32),
        TestData.train().first(256),
        Map.of(),
        null);
  }

  static float[] flat(TFloat32 t) {
    float[] a = new float[(int) t.shape().size()];
    t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(a, false, false));
    return a;
  }

  static double maxDiff(Map<String, TFloat32> a, Map<String, TFloat32> b) {
    double d = 0;
    for (String k : a.keySet()) {
      float[] x = flat(a.get(k));
      float[] y = flat(b.get(k));
      assertEquals(x.length, y.length, k);
      for (int i = 0; i < x.length; i++) {
        d = Math.max(d, Math.abs(x[i] - y[i]));
      }
    }
    return d;
  }

  static OptimizerSpec spec(OptimizerSpec.Kind kind) {
    return switch (kind) {
      case SGD -> OptimizerSpec.sgd().withMomentum(0.9).withLearningRate(0.05);
      case RMSPROP -> OptimizerSpec.rmsprop().withMomentum(0.5);
      default -> OptimizerSpec.defaults(kind);
    };
  }

  /** Java writes after two steps; a fresh graph reads the file; one more step agrees. */
  @ParameterizedTest
  @EnumSource(OptimizerSpec.Kind.class)
  void aGraphContinuingFromTheFileTakesTheSameStep(OptimizerSpec.Kind kind) {
    OptimizerSpec opt = spec(kind);
    Sequential model = mlp(16);
    Path h5 = tmp.resolve("model.weights.h5");
    try (TrainingGraph a = graph(model, opt)) {
      a.startEpoch(0);
      a.step();
      a.step();
      WeightSnapshot w = a.weightValues();
      try (OptimizerState s = a.optimizerState()) {
        assertEquals(2, s.iterations());
        KerasWeightsFile.write(h5, model, w.asMap(), s);
      } finally {
        w.close();
      }
      try (TrainingGraph b = graph(model, opt);
          KerasWeights read = KerasWeightsFile.read(h5, model, opt)) {
        assertNotNull(read.optimizer());
        assertEquals(2, read.optimizer().iterations());
        b.setWeightValues(read.weights());
        b.setOptimizerState(read.optimizer());
        assertEquals(2, b.globalStep());
        a.startEpoch(0);
        b.startEpoch(0);
        a.step();
        b.step();
        WeightSnapshot wa = a.weightValues();
        WeightSnapshot wb = b.weightValues();
        try {
          assertTrue(
              maxDiff(wa.asMap(), wb.asMap()) <= 1e-6,
              kind + ": " + maxDiff(wa.asMap(), wb.asMap()));
        } finally {
          wa.close();
          wb.close();
        }
      }
    }
  }

  @Test
  void weightsAndStateReadBackEqual() {
    Sequential model = mlp(8);
    Path h5 = tmp.resolve("w.weights.h5");
    try (TrainingGraph g = graph(model, OptimizerSpec.adam())) {
      g.startEpoch(0);
      g.step();
      WeightSnapshot w = g.weightValues();
      try (OptimizerState s = g.optimizerState()) {
        KerasWeightsFile.write(h5, model, w.asMap(), s);
        try (KerasWeights r = KerasWeightsFile.read(h5, model, OptimizerSpec.adam())) {
          assertEquals(0.0, maxDiff(w.asMap(), r.weights().asMap()));
          for (OptimizerState.Slot slot : OptimizerState.kerasOrder(s.optimizer(), model)) {
            assertEquals(
                0.0,
                maxDiff(Map.of("x", s.slot(slot)), Map.of("x", r.optimizer().slot(slot))),
                slot.toString());
          }
          assertEquals(s.learningRate(), r.optimizer().learningRate());
        }
        // read without an optimizer: the weights alone
        try (KerasWeights r = KerasWeightsFile.read(h5, model, null)) {
          assertNull(r.optimizer());
        }
      } finally {
        w.close();
      }
    }
  }

  @Test
  void kerasGroupNamesAreTheClassesInSnakeCase() {
    assertEquals("max_pooling2d", KerasWeightsFile.snakeCase("MaxPooling2D"));
    assertEquals("global_average_pooling2d", KerasWeightsFile.snakeCase("GlobalAveragePooling2D"));
    assertEquals("leaky_re_lu", KerasWeightsFile.snakeCase("LeakyReLU"));
    assertEquals("conv2d", KerasWeightsFile.snakeCase("Conv2D"));
    assertEquals(
        List.of("flatten", "dense", "dense_1", "dense_2"),
        KerasWeightsFile.layerPaths(
            Sequential.of(
                "s", input(4, 4), new Flatten(), new Dense(3), new Dense(3), new Dense(3))));
  }

  @Test
  void aWeightOfAnotherShapeIsOneLineNamingTheLayer() throws Exception {
    Path h5 = tmp.resolve("narrow.weights.h5");
    Sequential narrow = mlp(64);
    try (TrainingGraph g = graph(narrow, OptimizerSpec.sgd())) {
      WeightSnapshot w = g.weightValues();
      try {
        KerasWeightsFile.write(h5, narrow, w.asMap(), null);
      } finally {
        w.close();
      }
    }
    KerasFileException e =
        assertThrows(KerasFileException.class, () -> KerasWeightsFile.read(h5, mlp(512), null));
    assertEquals(
        h5 + ": layer 'dense': kernel has shape (784, 64), the model needs (784, 512)",
        e.getMessage());
    Sequential deeper =
        Sequential.of(
            "s", input(28, 28), new Flatten(), new Dense(64, RELU), new Dense(10), new Dense(10));
    e = assertThrows(KerasFileException.class, () -> KerasWeightsFile.read(h5, deeper, null));
    assertEquals(
        h5
            + ": layer 'dense_2': no group layers/dense_2/vars: the file has 0 weights, the model"
            + " needs 2",
        e.getMessage());
    // cut short: the header claims data the file lacks
    byte[] all = Files.readAllBytes(h5);
    Path cut = tmp.resolve("cut.weights.h5");
    Files.write(cut, Arrays.copyOf(all, all.length / 2));
    e = assertThrows(KerasFileException.class, () -> KerasWeightsFile.read(cut, narrow, null));
    assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    Path missing = tmp.resolve("none.weights.h5");
    BadInputException d =
        assertThrows(BadInputException.class, () -> KerasWeightsFile.read(missing, narrow, null));
    assertEquals(missing + ": no such file or directory", d.getMessage());
  }
}
