package org.tfmnist.nn;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras' initialisers, written here because TF Java 1.0.0's framework versions are wrong (its
 * Glorot-uniform draws from [0, limit) and miscomputes fans for conv kernels; {@code
 * InitializersTest} checks these limits and statistics against Keras').
 */
public final class Initializers {

  private Initializers() {}

  /**
   * Keras' fans: for a kernel of shape [..receptive field.., in, out] fan_in = receptive x in,
   * fan_out = receptive x out; for a vector, both are its length.
   */
  public static long[] fans(long[] shape) {
    if (shape.length == 0) {
      return new long[] {1, 1};
    }
    if (shape.length == 1) {
      return new long[] {shape[0], shape[0]};
    }
    long receptive = 1;
    for (int i = 0; i < shape.length - 2; i++) {
      receptive *= shape[i];
    }
    return new long[] {shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive};
  }

  /** Glorot (Xavier) uniform: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)). */
  public static double glorotLimit(long[] shape) {
    long[] f = fans(shape);
    return Math.sqrt(6.0 / (f[0] + f[1]));
  }

  /** Keras' default kernel initialiser. */
  public static Initializer glorotUniform() {
    return new Initializer() {
      @Override
      public Operand<TFloat32> create(Ops tf, long[] shape, Operand<TInt64> seed) {
        float limit = (float) glorotLimit(shape);
        Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.constant(shape), seed);
        return tf.math.mul(tf.math.sub(u, tf.constant(0.5f)), tf.constant(2f * limit));
      }

      @Override
      public String describe() {
        return "GlorotUniform";
      }
    };
  }

  /** Keras' default bias initialiser. */
  public static Initializer zeros() {
    return new Initializer() {
      @Override
      public Operand<TFloat32> create(Ops tf, long[] shape, Operand<TInt64> seed) {
        return tf.zeros(tf.constant(shape), TFloat32.class);
      }

      @Override
      public String describe() {
        return "Zeros";
      }
    };
  }

  /** Keras' {@code Ones}: a batch norm's gamma and moving variance start at 1. */
  public static Initializer ones() {
    return new Initializer() {
      @Override
      public Operand<TFloat32> create(Ops tf, long[] shape, Operand<TInt64> seed) {
        return tf.fill(tf.constant(shape), tf.constant(1f));
      }

      @Override
      public String describe() {
        return "Ones";
      }
    };
  }

  /** N(mean, stddev^2), as {@code np.random.randn} (mean 0, stddev 1) in Nielsen's network. */
  public static Initializer randomNormal(double mean, double stddev) {
    return new Initializer() {
      @Override
      public Operand<TFloat32> create(Ops tf, long[] shape, Operand<TInt64> seed) {
        Operand<TFloat32> n = tf.random.statelessRandomNormal(tf.constant(shape), seed);
        return tf.math.add(tf.math.mul(n, tf.constant((float) stddev)), tf.constant((float) mean));
      }

      @Override
      public String describe() {
        return String.format(Locale.ROOT, "RandomNormal(mean=%s, stddev=%s)", mean, stddev);
      }

      @Override
      public java.util.Map<String, Object> kerasConfig() {
        return java.util.Map.of("mean", mean, "stddev", stddev);
      }
    };
  }
}
