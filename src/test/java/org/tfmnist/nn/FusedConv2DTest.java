package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The fused convolution of the training step computes what Conv2D, BiasAdd and Relu compute, and
 * its registered gradient gives TensorFlow's own gradients of those three ops, to the bit, for both
 * paddings and a stride of 2.
 */
class FusedConv2DTest {

  @Test
  void theFusedOpAndItsGradientEqualTheThreeOps() {
    assertTrue(FusedConv2D.available());
    for (String padding : List.of("VALID", "SAME")) {
      for (long stride : new long[] {1, 2}) {
        try (Graph g = new Graph();
            Session s = new Session(g)) {
          Ops tf = Ops.create(g);
          Operand<TFloat32> x = normal(tf, new long[] {3, 9, 9, 2}, 1);
          Operand<TFloat32> w = normal(tf, new long[] {3, 3, 2, 4}, 2);
          Operand<TFloat32> b = normal(tf, new long[] {4}, 3);
          long[] strides = {1, stride, stride, 1};
          Operand<TFloat32> three =
              tf.nn.relu(
                  tf.nn.biasAdd(tf.nn.conv2d(x, w, List.of(1L, stride, stride, 1L), padding), b));
          Operand<TFloat32> fused = FusedConv2D.apply(tf, x, w, b, strides, padding);
          // a loss that weighs every output differently, so each gradient element is checked
          Operand<TFloat32> weights = normal(tf, three.shape().asArray(), 4);
          List<Operand<?>> fetch = new ArrayList<>(List.of(three, fused));
          for (Operand<TFloat32> y : List.of(three, fused)) {
            Operand<TFloat32> loss =
                tf.reduceSum(tf.math.mul(y, weights), tf.constant(new int[] {0, 1, 2, 3}));
            Output<?>[] grads =
                g.addGradients(
                    loss.asOutput(), new Output<?>[] {x.asOutput(), w.asOutput(), b.asOutput()});
            fetch.addAll(List.of(grads));
          }
          Result r = s.runner().fetch(fetch.get(0)).fetch(fetch.get(1)).run();
          assertArrayEquals(floats(r, 0), floats(r, 1), padding + " stride " + stride);
          for (int i = 0; i < 3; i++) {
            Result gr = s.runner().fetch(fetch.get(2 + i)).fetch(fetch.get(5 + i)).run();
            assertArrayEquals(
                floats(gr, 0), floats(gr, 1), "gradient " + i + ", " + padding + " " + stride);
          }
        }
      }
    }
  }

  private static Operand<TFloat32> normal(Ops tf, long[] shape, long seed) {
    return tf.random.statelessRandomNormal(tf.constant(shape), tf.constant(new long[] {seed, 7}));
  }

  private static float[] floats(Result r, int i) {
    TFloat32 t = (TFloat32) r.get(i);
    float[] out = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(out);
    return out;
  }
}
