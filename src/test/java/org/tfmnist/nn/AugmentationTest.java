package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;

/**
 * Keras' augmentation layers RandomTranslation, RandomRotation and RandomZoom: at inference each
 * returns its input tensor itself; in training a factor of 0 leaves every pixel as it was, and
 * nonzero factors change (nearly) every image of a batch, keep the shape and stay within their
 * bounds, measured on Gaussian blobs: a translation by up to 10 % moves the centre of mass by at
 * most 2.8 px per axis, a rotation keeps a centred blob's centre and an off-centre blob's distance
 * from the centre and turns it by at most factor x 360 degrees, a zoom by up to 10 % keeps the
 * centre and scales ink by 1/z^2 and distances by 1/z (z in [0.9, 1.1]). The same step seed draws
 * the same transforms, another step others.
 */
class AugmentationTest {

  private static final int SIDE = 28;
  private static final int PIXELS = SIDE * SIDE;
  private static final double CENTRE = (SIDE - 1) / 2.0;

  /** The layer's output for {@code n} 28x28x1 images, in training with step seed {seed, 17}. */
  private static float[] train(Layer layer, float[] images, long seed) {
    int n = images.length / PIXELS;
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x =
          tf.reshape(tf.constant(images), tf.constant(new long[] {n, SIDE, SIDE, 1}));
      Context ctx = Context.training(tf.constant(new long[] {seed, 17}), null);
      Operand<TFloat32> y = model(layer).forward(tf, x, Map.of(), ctx).output();
      try (Result r = s.runner().fetch(y).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        assertEquals(Shape.of(n, SIDE, SIDE, 1), t.shape(), "the shape is kept");
        float[] out = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(out);
        return out;
      }
    }
  }

  private static Sequential model(Layer layer) {
    return Sequential.of("augment", Sequential.input(SIDE, SIDE, 1), layer);
  }

  /** {@code n} copies of a Gaussian blob of width {@code sigma} centred at (cx, cy). */
  private static float[] blobs(int n, double cx, double cy, double sigma) {
    float[] one = new float[PIXELS];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
        one[y * SIDE + x] = (float) Math.exp(-d2 / (2 * sigma * sigma));
      }
    }
    float[] all = new float[n * PIXELS];
    for (int i = 0; i < n; i++) {
      System.arraycopy(one, 0, all, i * PIXELS, PIXELS);
    }
    return all;
  }

  /** Image {@code i}'s ink (sum of pixels) and centre of mass: {ink, x, y}. */
  private static double[] mass(float[] images, int i) {
    double ink = 0;
    double mx = 0;
    double my = 0;
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        double v = images[i * PIXELS + y * SIDE + x];
        ink += v;
        mx += v * x;
        my += v * y;
      }
    }
    return new double[] {ink, mx / ink, my / ink};
  }

  private static float[] image(float[] images, int i) {
    return Arrays.copyOfRange(images, i * PIXELS, (i + 1) * PIXELS);
  }

  @Test
  void atInferenceEachLayerReturnsItsInputItself() {
    for (Layer layer :
        List.of(new RandomTranslation(0.1, 0.1), new RandomRotation(0.05), new RandomZoom(0.1))) {
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        Operand<TFloat32> x = tf.zeros(tf.constant(new long[] {2, SIDE, SIDE, 1}), TFloat32.class);
        int before = countOps(g);
        assertSame(
            x,
            model(layer).forward(tf, x, Map.of(), Context.inference()).output(),
            layer.kerasType());
        assertEquals(before, countOps(g), layer.kerasType() + " added ops at inference");
      }
    }
  }

  private static int countOps(Graph g) {
    int n = 0;
    for (var it = g.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  @Test
  void aFactorOfZeroLeavesEveryPixelAsItWas() {
    float[] digits = TestData.test().first(8).floats();
    for (Layer layer :
        List.of(
            new RandomTranslation(0, 0),
            new RandomRotation(0),
            new RandomZoom(0),
            new RandomTranslation(0, 0, FillMode.CONSTANT, 0f),
            new RandomRotation(0, FillMode.CONSTANT, 0f),
            new RandomZoom(0, 0.0, FillMode.NEAREST, 0f))) {
      assertArrayEquals(digits, train(layer, digits, 42), layer.config());
    }
  }

  @Test
  void nonzeroFactorsChangeTheImagesOfABatch() {
    int n = 16;
    float[] digits = TestData.test().first(n).floats();
    for (Layer layer :
        List.of(new RandomTranslation(0.1, 0.1), new RandomRotation(0.05), new RandomZoom(0.1))) {
      float[] out = train(layer, digits, 42);
      int changed = 0;
      for (int i = 0; i < n; i++) {
        float[] a = image(digits, i);
        float[] b = image(out, i);
        double maxDiff = 0;
        for (int p = 0; p < PIXELS; p++) {
          maxDiff = Math.max(maxDiff, Math.abs(a[p] - b[p]));
          assertTrue(b[p] >= -1e-6 && b[p] <= 1 + 1e-6, "a pixel out of [0, 1]: " + b[p]);
        }
        changed += maxDiff > 0.05 ? 1 : 0;
      }
      assertTrue(changed >= n - 2, layer.kerasType() + " changed " + changed + " of " + n);
    }
  }

  @Test
  void aTranslationOfTenPercentMovesTheCentreByAtMostTwoPointEightPixels() {
    int n = 64;
    float[] in = blobs(n, CENTRE, CENTRE, 2);
    float[] out = train(new RandomTranslation(0.1, 0.1, FillMode.CONSTANT, 0f), in, 7);
    double maxDx = 0;
    double maxDy = 0;
    double maxSkew = 0;
    for (int i = 0; i < n; i++) {
      double[] m = mass(out, i);
      double dx = m[1] - CENTRE;
      double dy = m[2] - CENTRE;
      // 0.1 x 28 = 2.8 px per axis at most; 1 px slack for interpolation and the border
      assertTrue(
          Math.abs(dx) <= 2.8 + 1 && Math.abs(dy) <= 2.8 + 1,
          "image " + i + " moved by (" + dx + ", " + dy + ")");
      assertEquals(1, m[0] / mass(in, i)[0], 0.01, "a translation keeps the ink");
      maxDx = Math.max(maxDx, Math.abs(dx));
      maxDy = Math.max(maxDy, Math.abs(dy));
      maxSkew = Math.max(maxSkew, Math.abs(Math.abs(dx) - Math.abs(dy)));
    }
    // 64 draws from [-2.8, 2.8] reach beyond half of it on each axis, independently
    assertTrue(maxDx > 1.4 && maxDy > 1.4, "largest shifts " + maxDx + ", " + maxDy);
    assertTrue(maxSkew > 0.5, "the two axes draw their own shifts");
  }

  @Test
  void aRotationTurnsAboutTheCentreByAtMostFactorTimes360Degrees() {
    int n = 64;
    float[] centred =
        train(new RandomRotation(0.05, FillMode.CONSTANT, 0f), blobs(n, CENTRE, CENTRE, 2), 7);
    for (int i = 0; i < n; i++) {
      double[] m = mass(centred, i);
      assertEquals(CENTRE, m[1], 0.1, "image " + i + "'s centre x");
      assertEquals(CENTRE, m[2], 0.1, "image " + i + "'s centre y");
    }
    // a blob 8 px right of the centre stays 8 px from it and turns by at most 18 degrees
    float[] out =
        train(new RandomRotation(0.05, FillMode.CONSTANT, 0f), blobs(n, CENTRE + 8, CENTRE, 2), 7);
    double maxAngle = 0;
    boolean clockwise = false;
    boolean counter = false;
    for (int i = 0; i < n; i++) {
      double[] m = mass(out, i);
      double dx = m[1] - CENTRE;
      double dy = m[2] - CENTRE;
      assertEquals(8, Math.hypot(dx, dy), 0.3, "image " + i + "'s distance from the centre");
      double degrees = Math.toDegrees(Math.atan2(dy, dx));
      assertTrue(Math.abs(degrees) <= 18 + 1, "image " + i + " turned by " + degrees);
      maxAngle = Math.max(maxAngle, Math.abs(degrees));
      clockwise |= degrees > 1;
      counter |= degrees < -1;
    }
    assertTrue(maxAngle > 9, "largest angle " + maxAngle);
    assertTrue(clockwise && counter, "angles of both signs are drawn");
  }

  @Test
  void aZoomOfTenPercentScalesInkAndDistancesAboutTheCentre() {
    int n = 64;
    RandomZoom zoom = new RandomZoom(0.1, null, FillMode.CONSTANT, 0f);
    float[] in = blobs(n, CENTRE, CENTRE, 3);
    float[] out = train(zoom, in, 7);
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (int i = 0; i < n; i++) {
      double[] m = mass(out, i);
      double ink = m[0] / mass(in, i)[0];
      // z in [0.9, 1.1] scales areas by 1/z^2: [0.83, 1.23]
      assertTrue(ink >= 0.8 && ink <= 1.25, "image " + i + "'s ink x" + ink);
      assertEquals(CENTRE, m[1], 0.1, "image " + i + "'s centre x");
      assertEquals(CENTRE, m[2], 0.1, "image " + i + "'s centre y");
      lo = Math.min(lo, ink);
      hi = Math.max(hi, ink);
    }
    assertTrue(hi - lo > 0.2, "ink from x" + lo + " to x" + hi);
    // a blob 6 px right of the centre moves to 6/z px, on the same horizontal line; without a
    // width factor both axes share z, so the ink scales as the square of that distance
    float[] off = train(zoom, blobs(n, CENTRE + 6, CENTRE, 1.5), 7);
    float[] offIn = blobs(1, CENTRE + 6, CENTRE, 1.5);
    for (int i = 0; i < n; i++) {
      double[] m = mass(off, i);
      double r = (m[1] - CENTRE) / 6;
      assertTrue(r >= 1 / 1.1 - 0.02 && r <= 1 / 0.9 + 0.02, "image " + i + ": distance x" + r);
      assertEquals(CENTRE, m[2], 0.1, "image " + i + "'s centre y");
      assertEquals(r * r, m[0] / mass(offIn, 0)[0], 0.03, "image " + i + ": ink vs distance");
    }
  }

  @Test
  void theSameStepSeedDrawsTheSameTransformsAnotherStepOthers() {
    float[] digits = TestData.test().first(8).floats();
    for (Layer layer :
        List.of(new RandomTranslation(0.1, 0.1), new RandomRotation(0.05), new RandomZoom(0.1))) {
      float[] a = train(layer, digits, 42);
      assertArrayEquals(a, train(layer, digits, 42), layer.kerasType() + ": the same seed");
      float[] b = train(layer, digits, 43);
      int differ = 0;
      for (int i = 0; i < 8; i++) {
        differ += Arrays.equals(image(a, i), image(b, i)) ? 0 : 1;
      }
      assertEquals(8, differ, layer.kerasType() + ": images another step draws differently");
    }
  }
}
