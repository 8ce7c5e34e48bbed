package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;

/**
 * TensorFlow's bfloat16 Conv2D against float32 on 8 MNIST digits, for one input channel (the first
 * layer of every MNIST CNN) and for 32. TensorFlow 2.21's oneDNN bfloat16 kernel computes the
 * one-channel case wrongly on AVX-512 CPUs (errors as large as the outputs); TF Java's runtime
 * computes it right today. This test fails the day an upgrade of TF Java brings that fault into its
 * bfloat16 path, which {@code --precision mixed_bfloat16} trains through.
 */
@Timeout(120)
class Bf16ConvTest {

  /**
   * A bfloat16 convolution rounds its inputs and output to 8 significant bits (relative error 2^-9
   * each) and accumulates in float32: measured within 2^-8 of the output's scale; 2^-6 leaves room
   * for other kernels' rounding, and a wrong kernel misses it by two orders of magnitude.
   */
  static final double BOUND = 1.0 / 64;

  @Test
  void oneInputChannelInBfloat16MatchesFloat32() {
    float[] digits = TestData.test().first(8).floats();
    assertConvWithinBound(digits, new long[] {8, 28, 28, 1}, 32);
  }

  @Test
  void thirtyTwoInputChannelsInBfloat16MatchFloat32() {
    // a 32-channel activation: the digits' pixels spread over channels, as a second layer sees them
    float[] digits = TestData.test().first(8).floats();
    float[] x = new float[8 * 14 * 14 * 32];
    for (int i = 0; i < x.length; i++) {
      x[i] = digits[(i * 7) % digits.length];
    }
    assertConvWithinBound(x, new long[] {8, 14, 14, 32}, 64);
  }

  private static void assertConvWithinBound(float[] input, long[] shape, int filters) {
    Random r = new Random(5);
    long channels = shape[3];
    float[] kernel = new float[(int) (9 * channels * filters)];
    double sd = Math.sqrt(2.0 / (9 * channels));
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (float) (sd * r.nextGaussian());
    }
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.reshape(tf.constant(input), tf.constant(shape));
      Operand<TFloat32> w =
          tf.reshape(tf.constant(kernel), tf.constant(new long[] {3, 3, channels, filters}));
      List<Long> strides = List.of(1L, 1L, 1L, 1L);
      Operand<TFloat32> f32 = tf.nn.conv2d(x, w, strides, "VALID");
      Operand<TFloat32> bf16 =
          tf.dtypes.cast(
              tf.nn.conv2d(
                  tf.dtypes.cast(x, TBfloat16.class),
                  tf.dtypes.cast(w, TBfloat16.class),
                  strides,
                  "VALID"),
              TFloat32.class);
      try (Result res = s.runner().fetch(f32).fetch(bf16).run()) {
        float[] a = floats((TFloat32) res.get(0));
        float[] b = floats((TFloat32) res.get(1));
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
          scale = Math.max(scale, Math.abs(a[i]));
          diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(scale > 0.5, "the convolution has outputs of size: " + scale);
        assertTrue(
            diff <= BOUND * scale,
            String.format(
                "bfloat16 Conv2D with %d input channel(s) differs from float32 by %.3g on outputs"
                    + " up to %.3g (allowed %.3g): TensorFlow's bfloat16 convolution is wrong on"
                    + " this CPU",
                channels, diff, scale, BOUND * scale));
      }
    }
  }

  private static float[] floats(TFloat32 t) {
    float[] a = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(a);
    return a;
  }
}
