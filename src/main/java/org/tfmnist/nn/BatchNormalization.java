package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * Keras' {@code BatchNormalization(momentum=0.99, epsilon=1e-3)} over the last axis. In training it
 * normalises with the batch's mean and (biased) variance over every other axis and moves {@code
 * moving_mean} and {@code moving_variance} towards them ({@code moving = moving * momentum + batch
 * * (1 - momentum)}); at inference it normalises with the moving statistics. {@code gamma} and
 * {@code beta} are trained; the moving statistics are weights too (saved, exported) but not
 * trained, so the summary counts them as non-trainable, as Keras does.
 */
public final class BatchNormalization implements Layer {

  private final double momentum;
  private final double epsilon;

  /** Keras' defaults: momentum 0.99, epsilon 1e-3. */
  public BatchNormalization() {
    this(0.99, 1e-3);
  }

  /**
   * {@code BatchNormalization(momentum=momentum, epsilon=epsilon)}: momentum in [0, 1), a positive
   * epsilon.
   */
  public BatchNormalization(double momentum, double epsilon) {
    if (!(momentum >= 0 && momentum < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException(
          "BatchNormalization needs momentum in [0, 1) and a "
              + "positive epsilon, got "
              + momentum
              + " and "
              + epsilon);
    }
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  /**
   * How much of the moving statistics each training step keeps ({@code momentum}, Keras' default
   * 0.99).
   */
  public double momentum() {
    return momentum;
  }

  /**
   * What is added to the variance before its square root ({@code epsilon}, Keras' default 1e-3).
   */
  public double epsilon() {
    return epsilon;
  }

  @Override
  public String kerasType() {
    return "BatchNormalization";
  }

  @Override
  public String baseName() {
    return "batch_normalization";
  }

  @Override
  public long[] outputShape(long[] in) {
    return in.clone();
  }

  @Override
  public void build(long[] in, Weights weights) {
    long[] c = {in[in.length - 1]};
    weights.add("gamma", c, Initializers.ones());
    weights.add("beta", c, Initializers.zeros());
    weights.add("moving_mean", c, Initializers.zeros(), false);
    weights.add("moving_variance", c, Initializers.ones(), false);
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> in, Call call) {
    // statistics in float32 whatever the policy, as Keras' layer computes them
    Operand<TFloat32> inputs = DTypePolicy.autocast(tf, in, TFloat32.class);
    Operand<TFloat32> mean;
    Operand<TFloat32> variance;
    if (call.training()) {
      int rank = inputs.shape().numDimensions();
      int[] axes = new int[rank - 1];
      for (int i = 0; i < axes.length; i++) {
        axes[i] = i;
      }
      Operand<TInt32> reduce = tf.constant(axes);
      mean = tf.math.mean(inputs, reduce);
      variance = tf.math.mean(tf.math.squaredDifference(inputs, tf.stopGradient(mean)), reduce);
      call.update("moving_mean", moving(tf, call.weight("moving_mean"), mean));
      call.update("moving_variance", moving(tf, call.weight("moving_variance"), variance));
    } else {
      mean = call.weight("moving_mean");
      variance = call.weight("moving_variance");
    }
    // tf.nn.batch_normalization: x * inv + (beta - mean * inv), inv = gamma / sqrt(var + eps)
    Operand<TFloat32> inv =
        tf.math.mul(
            tf.math.rsqrt(tf.math.add(variance, tf.constant((float) epsilon))),
            call.weight("gamma"));
    return DTypePolicy.autocast(
        tf,
        tf.math.add(
            tf.math.mul(inputs, inv), tf.math.sub(call.weight("beta"), tf.math.mul(mean, inv))),
        in.type());
  }

  private Operand<TFloat32> moving(Ops tf, Operand<TFloat32> moving, Operand<TFloat32> batch) {
    return tf.math.add(
        tf.math.mul(moving, tf.constant((float) momentum)),
        tf.math.mul(tf.stopGradient(batch), tf.constant((float) (1 - momentum))));
  }

  @Override
  public String config() {
    return "axis=-1, momentum=" + momentum + ", epsilon=" + epsilon;
  }
}
