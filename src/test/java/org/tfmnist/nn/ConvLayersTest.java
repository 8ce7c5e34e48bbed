package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tfmnist.presets.Presets;

/** Conv2D and MaxPooling2D: Keras' shapes and parameter counts, and the numbers they compute. */
class ConvLayersTest {

  @Test
  void theKerasCnnExampleHasKerasShapesAndCounts() {
    Sequential m = Presets.cnn().model();
    assertEquals(1_199_882, m.paramCount());
    List<long[]> shapes = m.layers().stream().map(Sequential.BuiltLayer::outputShape).toList();
    assertArrayEquals(new long[] {26, 26, 32}, shapes.get(1));
    assertArrayEquals(new long[] {24, 24, 64}, shapes.get(2));
    assertArrayEquals(new long[] {12, 12, 64}, shapes.get(3));
    assertArrayEquals(new long[] {9216}, shapes.get(5));
    assertArrayEquals(new long[] {128}, shapes.get(6));
    assertArrayEquals(new long[] {10}, shapes.get(8));
    assertEquals(
        List.of(0L, 320L, 18_496L, 0L, 0L, 0L, 1_179_776L, 0L, 1_290L),
        m.layers().stream().map(Sequential.BuiltLayer::paramCount).toList());
    String s = m.summary();
    assertTrue(s.matches("(?s).*conv2d \\(Conv2D\\)\\s+\\(None, 26, 26, 32\\)\\s+320.*"), s);
    assertTrue(s.matches("(?s).*max_pooling2d \\(MaxPooling2D\\)\\s+\\(None, 12, 12, 64\\).*"), s);
    assertTrue(s.contains("Total params: 1,199,882"), s);
  }

  @Test
  void paddingAndStridesGiveKerasShapes() {
    assertArrayEquals(
        new long[] {28, 28, 8},
        new Conv2D(8, 3, 3, 1, Padding.SAME, Activation.RELU).outputShape(new long[] {28, 28, 1}));
    assertArrayEquals(
        new long[] {14, 14, 8},
        new Conv2D(8, 3, 3, 2, Padding.SAME, Activation.RELU).outputShape(new long[] {28, 28, 1}));
    assertArrayEquals(
        new long[] {13, 13, 8},
        new Conv2D(8, 3, 3, 2, Padding.VALID, Activation.RELU).outputShape(new long[] {28, 28, 1}));
    assertArrayEquals(
        new long[] {9, 9, 4}, new MaxPooling2D(3).outputShape(new long[] {28, 28, 4}));
    assertArrayEquals(
        new long[] {10, 10, 4},
        new MaxPooling2D(3, 3, Padding.SAME).outputShape(new long[] {28, 28, 4}));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Conv2D(8, 3, Activation.RELU).outputShape(new long[] {784}));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Conv2D(8, 5, Activation.RELU).outputShape(new long[] {4, 4, 1}));
  }

  /** What a layer computed for a batch of one: the values, and the output tensor's shape. */
  private record Out(float[] values, Shape shape) {}

  private static float[] run(Layer layer, float[] x, long[] inShape, float[]... weights) {
    return call(layer, x, inShape, weights).values();
  }

  private static Out call(Layer layer, float[] x, long[] inShape, float[]... weights) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      long[] batched = Shapes.withBatch(inShape);
      batched[0] = 1;
      Operand<TFloat32> in = tf.reshape(tf.constant(x), tf.constant(batched));
      Sequential one = Sequential.of("one", inShape, layer);
      java.util.Map<String, Operand<TFloat32>> w = new java.util.HashMap<>();
      for (int i = 0; i < one.weights().size(); i++) {
        Sequential.WeightVariable p = one.weights().get(i);
        w.put(p.variableName(), tf.reshape(tf.constant(weights[i]), tf.constant(p.spec().shape())));
      }
      Operand<TFloat32> y = one.forward(tf, in, w, Context.inference()).output();
      try (Result r = s.runner().fetch(y).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] out = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(out);
        return new Out(out, t.shape());
      }
    }
  }

  @Test
  void convolutionComputesTheCrossCorrelation() {
    // 3x3 input, one 2x2 filter, valid padding: a 2x2 output, plus bias, relu
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] k = {1, 0, 0, -1};
    float[] b = {10};
    float[] y = run(new Conv2D(1, 2, Activation.RELU), x, new long[] {3, 3, 1}, k, b);
    // each window: top-left - bottom-right = -4, + 10 = 6
    assertArrayEquals(new float[] {6, 6, 6, 6}, y);
    float[] y2 =
        run(
            new Conv2D(1, 2, 2, 1, Padding.VALID, Activation.RELU),
            x,
            new long[] {3, 3, 1},
            new float[] {0, 0, 0, 1},
            new float[] {-5});
    // bottom-right pixel of each window minus 5, relu: 5-5, 6-5, 8-5, 9-5
    assertArrayEquals(new float[] {0, 1, 3, 4}, y2);
  }

  @Test
  void maxPoolingTakesEachWindowsMaximum() {
    float[] x = {1, 5, 2, 0, 3, 4, 9, 1, 0, 0, 2, 8, 7, 6, 3, 1};
    MaxPooling2D pool = new MaxPooling2D(2);
    Out y = call(pool, x, new long[] {4, 4, 1});
    assertArrayEquals(new float[] {5, 9, 7, 8}, y.values());
    // a batch of one 4x4x1 image pools to one 2x2x1 map, the shape outputShape promises
    assertEquals(Shape.of(1, 2, 2, 1), y.shape());
    assertArrayEquals(
        pool.outputShape(new long[] {4, 4, 1}),
        java.util.Arrays.copyOfRange(y.shape().asArray(), 1, 4));
    // a 5x5 input with 3 channels: 2x2 windows, stride 2, valid padding drop the last row/column
    float[] x5 = new float[5 * 5 * 3];
    for (int i = 0; i < x5.length; i++) {
      x5[i] = i;
    }
    Out y5 = call(pool, x5, new long[] {5, 5, 3});
    assertEquals(Shape.of(1, 2, 2, 3), y5.shape());
    assertArrayEquals(new long[] {2, 2, 3}, pool.outputShape(new long[] {5, 5, 3}));
    // each channel's maximum of the top-left window is pixel (1, 1): index (1 * 5 + 1) * 3 + c
    assertArrayEquals(new float[] {18, 19, 20}, java.util.Arrays.copyOfRange(y5.values(), 0, 3));
  }
}
