package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tfmnist.presets.Presets;

/**
 * Keras' {@code BatchNormalization(momentum=0.99, epsilon=1e-3)}: at inference it normalises with
 * the moving statistics, {@code (x - moving_mean) / sqrt(moving_variance + eps) * gamma + beta}; in
 * training with the batch's mean and biased variance over every axis but the last, for a [batch, C]
 * and a [batch, H, W, C] input, and its update ops move the moving statistics to {@code 0.99 * old
 * + 0.01 * batch}; Keras counts gamma and beta as trainable and the moving statistics as
 * non-trainable parameters (per layer, in the summary, and cnn-best's totals).
 */
class BatchNormalizationTest {

  private static final double EPS = 1e-3;
  private static final float[] GAMMA = {1.5f, 0.5f, -2f};
  private static final float[] BETA = {0.25f, -1f, 3f};
  private static final float[] MOVING_MEAN = {0.5f, -1f, 2f};
  private static final float[] MOVING_VARIANCE = {1f, 2f, 0.04f};

  /** What one forward pass gave: the output, and the weights after the update ops ran. */
  private record Run(float[] output, Map<String, float[]> weightsAfter, int updates) {}

  /**
   * A one-layer model on {@code x} (shape [batch, ...inShape]) with gamma, beta and the moving
   * statistics as reference variables of the graph; in training the update ops run with the output,
   * as the training step runs them.
   */
  private static Run run(float[] x, long[] inShape, boolean training) {
    Sequential m = Sequential.of("bn", inShape, new BatchNormalization());
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Map<String, float[]> initial =
          Map.of(
              "batch_normalization_gamma",
              GAMMA,
              "batch_normalization_beta",
              BETA,
              "batch_normalization_moving_mean",
              MOVING_MEAN,
              "batch_normalization_moving_variance",
              MOVING_VARIANCE);
      Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
      Map<String, Operand<TFloat32>> values = new HashMap<>();
      List<Op> inits = new ArrayList<>();
      for (Sequential.WeightVariable w : m.weights()) {
        Variable<TFloat32> v =
            tf.withName(w.variableName()).variable(Shape.of(w.spec().shape()), TFloat32.class);
        inits.add(tf.assign(v, tf.constant(initial.get(w.variableName()))));
        vars.put(w.variableName(), v);
        values.put(w.variableName(), v);
      }
      Session.Runner init = s.runner();
      inits.forEach(init::addTarget);
      init.run();
      long[] batched = Shapes.withBatch(inShape);
      batched[0] = x.length / Shapes.size(inShape);
      Operand<TFloat32> in = tf.reshape(tf.constant(x), tf.constant(batched));
      Context ctx =
          training
              ? Context.training(
                  tf.constant(new long[] {1, 2}),
                  (ops, name, value) -> ops.assign(vars.get(name), value))
              : Context.inference();
      Sequential.Forward f = m.forward(tf, in, values, ctx);
      float[] out;
      Session.Runner runner = s.runner().fetch(f.output());
      f.updates().forEach(runner::addTarget);
      try (Result r = runner.run()) {
        out = floats((TFloat32) r.get(0));
      }
      Map<String, float[]> after = new HashMap<>();
      for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
        try (Result r = s.runner().fetch(e.getValue()).run()) {
          after.put(e.getKey(), floats((TFloat32) r.get(0)));
        }
      }
      return new Run(out, after, f.updates().size());
    }
  }

  private static float[] floats(TFloat32 t) {
    float[] a = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(a);
    return a;
  }

  /** Three channels of very different scales (0.1, 1, 3) and offsets, in [rows * 3] floats. */
  private static float[] input(int rows, long seed) {
    Random r = new Random(seed);
    double[] scale = {0.1, 1, 3};
    double[] offset = {-0.5, 2, 10};
    float[] x = new float[rows * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (offset[i % 3] + scale[i % 3] * r.nextGaussian());
    }
    return x;
  }

  /** Each channel's mean and biased variance (divided by n), in double. */
  private static double[][] moments(float[] x) {
    int n = x.length / 3;
    double[] mean = new double[3];
    double[] var = new double[3];
    for (int i = 0; i < x.length; i++) {
      mean[i % 3] += x[i] / (double) n;
    }
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - mean[i % 3];
      var[i % 3] += d * d / n;
    }
    return new double[][] {mean, var};
  }

  @Test
  void inferenceNormalisesWithTheMovingStatistics() {
    float[] x = {0, 0, 0, 1, 1, 1, -2, 3, 2.5f, 0.5f, -1, 1.96f};
    Run r = run(x, new long[] {3}, false);
    assertEquals(0, r.updates(), "inference updates nothing");
    for (int i = 0; i < x.length; i++) {
      int c = i % 3;
      double want =
          (x[i] - MOVING_MEAN[c]) / Math.sqrt(MOVING_VARIANCE[c] + EPS) * GAMMA[c] + BETA[c];
      assertEquals(want, r.output()[i], 1e-6, "element " + i);
    }
    // e.g. x = 2.5 in channel 2: (2.5 - 2) / sqrt(0.041) * -2 + 3 = -1.938...
    assertEquals(3 - 1 / Math.sqrt(0.041), r.output()[8], 1e-6);
    assertEquals(MOVING_MEAN[0], r.weightsAfter().get("batch_normalization_moving_mean")[0]);
  }

  /** The training output, channel by channel: the batch's statistics, not the moving ones. */
  private static void assertBatchNormalised(float[] x, float[] y) {
    double[][] m = moments(x);
    for (int i = 0; i < x.length; i++) {
      int c = i % 3;
      double want = (x[i] - m[0][c]) / Math.sqrt(m[1][c] + EPS) * GAMMA[c] + BETA[c];
      assertEquals(want, y[i], 2e-5 * Math.max(1, Math.abs(want)), "element " + i);
    }
    double[][] out = moments(y);
    for (int c = 0; c < 3; c++) {
      assertEquals(BETA[c], out[0][c], 1e-5, "channel " + c + "'s output mean is beta");
      double want = GAMMA[c] * GAMMA[c] * m[1][c] / (m[1][c] + EPS);
      assertEquals(
          want,
          out[1][c],
          1e-4 * want,
          "channel " + c + "'s output variance is gamma^2 var / (var + eps)");
    }
    // channel 0 (scale 0.1) shows epsilon: its output variance is visibly below gamma^2
    assertTrue(out[1][0] < 0.95 * GAMMA[0] * GAMMA[0], "variance " + out[1][0]);
  }

  @Test
  void trainingNormalisesWithTheBatchsStatisticsOfADenseInput() {
    float[] x = input(64, 1);
    assertBatchNormalised(x, run(x, new long[] {3}, true).output());
  }

  @Test
  void trainingNormalisesOverBatchHeightAndWidthOfAnImageInput() {
    // [4, 5, 6, 3]: the statistics are over 4 * 5 * 6 = 120 values per channel
    float[] x = input(4 * 5 * 6, 2);
    assertBatchNormalised(x, run(x, new long[] {5, 6, 3}, true).output());
  }

  @Test
  void theTrainingUpdatesMoveTheMovingStatisticsByOnePercent() {
    // 8 rows: the unbiased variance would be 8/7 of the biased one, far beyond the tolerance
    float[] x = input(8, 3);
    Run r = run(x, new long[] {3}, true);
    assertEquals(2, r.updates(), "one update per moving statistic");
    double[][] m = moments(x);
    float[] mean = r.weightsAfter().get("batch_normalization_moving_mean");
    float[] var = r.weightsAfter().get("batch_normalization_moving_variance");
    for (int c = 0; c < 3; c++) {
      double wantMean = 0.99 * MOVING_MEAN[c] + 0.01 * m[0][c];
      double wantVar = 0.99 * MOVING_VARIANCE[c] + 0.01 * m[1][c];
      assertEquals(wantMean, mean[c], 1e-6 * Math.max(1, Math.abs(wantMean)), "mean " + c);
      assertEquals(wantVar, var[c], 1e-6 * Math.max(1, wantVar), "variance " + c);
    }
    // the trained weights are the optimizer's: the layer's own updates leave them alone
    assertEquals(GAMMA[1], r.weightsAfter().get("batch_normalization_gamma")[1]);
    assertEquals(BETA[2], r.weightsAfter().get("batch_normalization_beta")[2]);
  }

  @Test
  void kerasCountsTheMovingStatisticsAsNonTrainable() {
    Sequential m =
        Sequential.of(
            "c",
            Sequential.input(28, 28, 1),
            new Conv2D(32, 3, Activation.RELU),
            new BatchNormalization());
    Sequential.BuiltLayer bn = m.layers().get(1);
    assertEquals("batch_normalization", bn.name());
    assertEquals(128, bn.paramCount(), "gamma, beta, moving_mean, moving_variance of 32");
    assertEquals(64, bn.trainableCount());
    assertEquals(
        List.of(true, true, false, false),
        bn.params().stream().map(WeightSpec::trainable).toList());
    assertEquals(
        List.of("gamma", "beta", "moving_mean", "moving_variance"),
        bn.params().stream().map(WeightSpec::name).toList());
    assertEquals(320 + 128, m.paramCount());
    String s = m.summary();
    assertTrue(
        s.matches(
            "(?s).*batch_normalization \\(BatchNormalization\\)\\s+"
                + "\\(None, 26, 26, 32\\)\\s+128\\n.*"),
        s);
    assertTrue(s.contains("Total params: 448 (1.75 KB)"), s);
    assertTrue(s.contains("Trainable params: 384 (1.50 KB)"), s);
    assertTrue(s.contains("Non-trainable params: 64 (256.00 B)"), s);
  }

  @Test
  void cnnBestHasKerasTotals() {
    // Keras' model.summary() of the same keras.Sequential (interop_check layers builds it)
    Sequential m = Presets.cnnBest().model();
    assertEquals(468_778, m.paramCount());
    assertEquals(640, m.paramCount() - m.trainableCount());
    assertEquals(
        List.of(
            0L, 0L, 0L, 0L, 288L, 128L, 0L, 9_216L, 128L, 0L, 0L, 18_432L, 256L, 0L, 36_864L, 256L,
            0L, 0L, 0L, 401_408L, 512L, 0L, 0L, 1_290L),
        m.layers().stream().map(Sequential.BuiltLayer::paramCount).toList());
    String s = m.summary();
    assertTrue(s.contains("Total params: 468,778 (1.79 MB)"), s);
    assertTrue(s.contains("Trainable params: 468,138 (1.79 MB)"), s);
    assertTrue(s.contains("Non-trainable params: 640 (2.50 KB)"), s);
    assertFalse(
        m.weights().stream()
            .anyMatch(w -> w.spec().trainable() && w.variableName().contains("moving")),
        "no moving statistic is trained");
  }
}
