package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' initialisers, checked by their statistics (TF Java 1.0.0's framework Glorot draws from [0,
 * limit) and gets conv fans wrong: these must not).
 */
class InitializersTest {

  private static float[] sample(Initializer init, long[] shape, long seed) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> v = init.create(tf, shape, tf.constant(new long[] {seed, 7}));
      try (Result r = s.runner().fetch(v).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] out = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(out);
        return out;
      }
    }
  }

  @Test
  void glorotLimitsAndFansAreKeras() {
    assertArrayEquals(new long[] {784, 512}, Initializers.fans(new long[] {784, 512}));
    // conv kernel [3,3,32,64]: fan_in = 9*32 = 288, fan_out = 9*64 = 576
    assertArrayEquals(new long[] {288, 576}, Initializers.fans(new long[] {3, 3, 32, 64}));
    assertEquals(Math.sqrt(6.0 / 864), Initializers.glorotLimit(new long[] {3, 3, 32, 64}), 1e-12);
    assertEquals(0.0833, Initializers.glorotLimit(new long[] {3, 3, 32, 64}), 1e-4);
    assertEquals(Math.sqrt(6.0 / 1296), Initializers.glorotLimit(new long[] {784, 512}), 1e-12);
  }

  @Test
  void glorotUniformHasGlorotsStatistics() {
    long[] shape = {784, 512};
    double limit = Initializers.glorotLimit(shape);
    float[] w = sample(Initializers.glorotUniform(), shape, 1);
    double sum = 0;
    double sq = 0;
    int negative = 0;
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float x : w) {
      sum += x;
      sq += x * x;
      negative += x < 0 ? 1 : 0;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    double mean = sum / w.length;
    double var = sq / w.length - mean * mean;
    assertTrue(min >= -limit && max <= limit, "within [-limit, limit]");
    assertTrue(min < -0.99 * limit && max > 0.99 * limit, "spans the whole interval");
    assertEquals(0, mean, 1e-3);
    // U(-l, l) has variance l^2/3 = 2 / (fan_in + fan_out)
    assertEquals(limit * limit / 3, var, 0.01 * limit * limit / 3);
    assertEquals(0.5, (double) negative / w.length, 0.01);
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    long[] shape = {30, 10};
    assertArrayEquals(
        sample(Initializers.glorotUniform(), shape, 5),
        sample(Initializers.glorotUniform(), shape, 5));
    float[] a = sample(Initializers.glorotUniform(), shape, 5);
    float[] b = sample(Initializers.glorotUniform(), shape, 6);
    assertTrue(a[0] != b[0] || a[1] != b[1]);
  }

  @Test
  void randomNormalIsStandardNormal() {
    float[] w = sample(Initializers.randomNormal(0, 1), new long[] {200, 200}, 3);
    double sum = 0;
    double sq = 0;
    for (float x : w) {
      sum += x;
      sq += x * x;
    }
    assertEquals(0, sum / w.length, 0.02);
    assertEquals(1, sq / w.length, 0.03);
  }

  @Test
  void zerosAreZero() {
    for (float x : sample(Initializers.zeros(), new long[] {10}, 1)) {
      assertEquals(0f, x);
    }
  }
}
