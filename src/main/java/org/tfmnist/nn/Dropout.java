package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * Keras' {@code Dropout(rate)}: in training, zeroes each input with probability {@code rate} and
 * scales the rest by 1/(1-rate) (inverted dropout); at inference it adds nothing to the graph.
 */
public final class Dropout implements Layer {

  private final double rate;

  /** {@code Dropout(rate)}; {@code rate} in [0, 1). */
  public Dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
    }
    this.rate = rate;
  }

  /** The fraction of inputs zeroed in training. */
  public double rate() {
    return rate;
  }

  @Override
  public String kerasType() {
    return "Dropout";
  }

  @Override
  public String baseName() {
    return "dropout";
  }

  @Override
  public long[] outputShape(long[] in) {
    return in.clone();
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, Call call) {
    if (!call.training() || rate == 0) {
      return x;
    }
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(x), call.seed());
    Operand<T> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)), x.type());
    return tf.math.mul(x, tf.math.mul(keep, DTypePolicy.constant(tf, 1 / (1 - rate), x.type())));
  }

  @Override
  public String config() {
    return "rate=" + rate;
  }
}
