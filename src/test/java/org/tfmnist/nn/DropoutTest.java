package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' inverted dropout: in training each value is zeroed with probability {@code rate} and the
 * others are multiplied by 1/(1-rate); at inference the layer is the identity.
 */
class DropoutTest {

  private static final int ROWS = 100;
  private static final int COLS = 1000;
  private static final int N = ROWS * COLS;

  /** 100,000 non-zero inputs with varied mantissas, so a zero in the output means "dropped". */
  private static float[] input() {
    float[] x = new float[N];
    for (int i = 0; i < N; i++) {
      x[i] = (i % 2 == 0 ? 1 : -1) * (0.5f + (i % 977) / 977f);
    }
    return x;
  }

  /** A model with {@code d} as its layer number {@code index} (identity layers before it). */
  private static Sequential at(int index, Dropout d) {
    Layer[] layers = new Layer[index + 1];
    for (int i = 0; i < index; i++) {
      layers[i] = new ActivationLayer(Activation.LINEAR);
    }
    layers[index] = d;
    return Sequential.of("d", new long[] {COLS}, layers);
  }

  /** The layer's output for {@link #input()} as a [100, 1000] batch. */
  private static float[] call(Dropout d, boolean training, long seed, int index) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.reshape(tf.constant(input()), tf.constant(new long[] {ROWS, COLS}));
      Context ctx =
          training
              ? Context.training(tf.constant(new long[] {seed, 17}), null)
              : Context.inference();
      Operand<TFloat32> y = at(index, d).forward(tf, x, java.util.Map.of(), ctx).output();
      try (Result r = s.runner().fetch(y).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        assertEquals(N, t.size());
        float[] out = new float[N];
        t.asRawTensor().data().asFloats().read(out);
        return out;
      }
    }
  }

  private static boolean[] dropped(float[] y) {
    boolean[] z = new boolean[y.length];
    for (int i = 0; i < y.length; i++) {
      z[i] = y[i] == 0f;
    }
    return z;
  }

  private static void assertInvertedDropout(double rate, float scale) {
    // the scale the layer must use, 1/(1-rate), is exact in float32 for these rates
    assertEquals(scale, (float) (1 / (1 - rate)));
    float[] x = input();
    float[] y = call(new Dropout(rate), true, 42, 0);
    int zeros = 0;
    for (int i = 0; i < N; i++) {
      if (y[i] == 0f) {
        zeros++;
      } else {
        // a kept value is x / (1 - rate), to the bit
        assertEquals(
            Float.floatToIntBits(x[i] * scale),
            Float.floatToIntBits(y[i]),
            "element " + i + ": " + x[i] + " became " + y[i]);
      }
    }
    // The number of zeros is Binomial(N, rate): its fraction has standard deviation
    // sqrt(rate (1 - rate) / N), 0.0013 for rate 0.2 and 0.0016 for rate 0.5 with N = 100,000.
    // Five of them is far beyond chance (the draws are seeded, so the test is deterministic)
    // and far below any real mistake (no dropout, rate and 1-rate swapped: 0.3 away or more).
    double sd = Math.sqrt(rate * (1 - rate) / N);
    double fraction = (double) zeros / N;
    assertEquals(rate, fraction, 5 * sd, "fraction of zeros for rate " + rate);
  }

  @Test
  void dropoutIsActiveInTrainingOnly() {
    assertInvertedDropout(0.2, 1.25f);
    assertInvertedDropout(0.5, 2f);

    // inference: the very same tensor comes back (no op is added) and its values are unchanged
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.constant(new float[] {1, 2, 3});
      assertSame(
          x,
          at(0, new Dropout(0.5)).forward(tf, x, java.util.Map.of(), Context.inference()).output());
      // and a rate of 0 is the identity in training too
      Context training = Context.training(tf.constant(new long[] {1, 2}), null);
      assertSame(x, at(0, new Dropout(0)).forward(tf, x, java.util.Map.of(), training).output());
    }
    assertArrayEquals(input(), call(new Dropout(0.5), false, 42, 0));
  }

  @Test
  void eachStepAndEachLayerDrawsItsOwnMask() {
    Dropout d = new Dropout(0.5);
    boolean[] a = dropped(call(d, true, 42, 0));
    assertArrayEquals(a, dropped(call(d, true, 42, 0)), "the same seed draws the same mask");
    // two independent masks of rate 0.5 disagree on half of the positions
    for (boolean[] b : List.of(dropped(call(d, true, 43, 0)), dropped(call(d, true, 42, 1)))) {
      int differ = 0;
      for (int i = 0; i < N; i++) {
        differ += a[i] != b[i] ? 1 : 0;
      }
      assertEquals(0.5, (double) differ / N, 0.01, "masks of another step or layer");
    }
  }
}
