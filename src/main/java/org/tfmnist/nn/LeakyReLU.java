package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** Keras' {@code LeakyReLU(negative_slope=0.3)}: x where x >= 0, negative_slope * x below. */
public final class LeakyReLU implements Layer {

  /** Keras' default slope for the layer (the {@code leaky_relu} activation's is 0.2). */
  public static final double DEFAULT_NEGATIVE_SLOPE = 0.3;

  private final double negativeSlope;

  /** Keras' {@code LeakyReLU()}: {@code negative_slope=0.3}. */
  public LeakyReLU() {
    this(DEFAULT_NEGATIVE_SLOPE);
  }

  /** {@code LeakyReLU(negative_slope=negativeSlope)}; the slope must be 0 or more. */
  public LeakyReLU(double negativeSlope) {
    if (!(negativeSlope >= 0)) {
      throw new IllegalArgumentException(
          "LeakyReLU negative_slope must be 0 or more, got " + negativeSlope);
    }
    this.negativeSlope = negativeSlope;
  }

  /** The slope below 0 ({@code negative_slope}, 0.3 by default). */
  public double negativeSlope() {
    return negativeSlope;
  }

  @Override
  public String kerasType() {
    return "LeakyReLU";
  }

  @Override
  public String baseName() {
    return "leaky_re_lu";
  }

  @Override
  public long[] outputShape(long[] in) {
    return in.clone();
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, Call call) {
    return tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha((float) negativeSlope));
  }

  @Override
  public String config() {
    return "negative_slope=" + negativeSlope;
  }
}
