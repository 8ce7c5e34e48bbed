package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * AveragePooling2D with valid and same padding against hand-computed averages (same padding, as
 * TensorFlow's AvgPool, averages only the pixels inside the image, never the padding's zeros), and
 * GlobalAveragePooling2D as each channel's mean over height and width; the output shapes are the
 * ones {@code outputShape} promises.
 */
class PoolingTest {

  /** The layer's output for a batch of {@code batch} inputs of shape {@code inShape}. */
  private static float[] run(Layer layer, float[] x, int batch, long[] inShape) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      long[] batched = Shapes.withBatch(inShape);
      batched[0] = batch;
      Operand<TFloat32> in = tf.reshape(tf.constant(x), tf.constant(batched));
      Sequential one = Sequential.of("pool", inShape, layer);
      Operand<TFloat32> y = one.forward(tf, in, Map.of(), Context.inference()).output();
      try (Result r = s.runner().fetch(y).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        long[] want = Shapes.withBatch(one.outputShape());
        want[0] = batch;
        assertEquals(Shape.of(want), t.shape(), "the shape outputShape promises");
        float[] out = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(out);
        return out;
      }
    }
  }

  private static float[] range(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return x;
  }

  @Test
  void validAveragePoolingAveragesEachWindow() {
    // 4x4, 2x2 windows with stride 2: (0+1+4+5)/4, (2+3+6+7)/4, ...
    assertArrayEquals(
        new float[] {2.5f, 4.5f, 10.5f, 12.5f},
        run(new AveragePooling2D(2), range(16), 1, new long[] {4, 4, 1}));
    // 5x5 drops the last row and column; two channels pooled apart (value 2 * pixel + channel)
    float[] y = run(new AveragePooling2D(2), range(50), 1, new long[] {5, 5, 2});
    // window (0, 0) holds pixels 0, 1, 5, 6: channel 0 averages 0, 2, 10, 12, channel 1 one more
    assertArrayEquals(new float[] {6, 7, 10, 11, 26, 27, 30, 31}, y);
    // strides 1: 3x3 windows sliding one pixel over a 4x4 image
    assertArrayEquals(
        new float[] {5, 6, 9, 10},
        run(new AveragePooling2D(3, 1, Padding.VALID), range(16), 1, new long[] {4, 4, 1}));
  }

  @Test
  void samePaddingAveragesOnlyThePixelsInside() {
    // 3x3 image 1..9, 2x2 windows with stride 2: the padding is one row/column after the image
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] y = run(new AveragePooling2D(2, 2, Padding.SAME), x, 1, new long[] {3, 3, 1});
    // (1+2+4+5)/4, (3+6)/2, (7+8)/2, 9/1; counting the padding's zeros would give 2.25, 3.75, 2.25
    assertArrayEquals(new float[] {3, 4.5f, 7.5f, 9}, y);
    // 5x5 image 0..24, 3x3 windows with stride 2: one row/column of padding on each side
    float[] z = run(new AveragePooling2D(3, 2, Padding.SAME), range(25), 1, new long[] {5, 5, 1});
    assertEquals(9, z.length);
    assertEquals((0 + 1 + 5 + 6) / 4f, z[0], 1e-6, "corner: 4 pixels inside");
    assertEquals((1 + 2 + 3 + 6 + 7 + 8) / 6f, z[1], 1e-6, "edge: 6 pixels inside");
    assertEquals(12, z[4], 1e-6, "centre: all 9 pixels");
    assertEquals((18 + 19 + 23 + 24) / 4f, z[8], 1e-6, "last corner");
  }

  @Test
  void globalAveragePoolingIsEachChannelsMean() {
    // a batch of 2 images 2x3 with 2 channels: value 100 * image + 2 * pixel + channel
    float[] x = new float[2 * 2 * 3 * 2];
    for (int b = 0; b < 2; b++) {
      for (int p = 0; p < 6; p++) {
        for (int c = 0; c < 2; c++) {
          x[(b * 6 + p) * 2 + c] = 100 * b + 2 * p + c;
        }
      }
    }
    // mean over pixels 0..5 of 2p is 5
    assertArrayEquals(
        new float[] {5, 6, 105, 106},
        run(new GlobalAveragePooling2D(), x, 2, new long[] {2, 3, 2}));
    assertArrayEquals(
        new long[] {64}, new GlobalAveragePooling2D().outputShape(new long[] {7, 7, 64}));
    assertThrows(
        IllegalArgumentException.class,
        () -> new GlobalAveragePooling2D().outputShape(new long[] {128}));
    assertArrayEquals(
        new long[] {14, 14, 8}, new AveragePooling2D(2).outputShape(new long[] {28, 28, 8}));
    assertArrayEquals(
        new long[] {10, 10, 8},
        new AveragePooling2D(3, 3, Padding.SAME).outputShape(new long[] {28, 28, 8}));
  }
}
