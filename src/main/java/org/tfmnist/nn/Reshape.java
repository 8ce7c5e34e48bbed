package org.tfmnist.nn;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** Keras' {@code Reshape(target_shape)}, e.g. (28, 28) to (28, 28, 1) before a Conv2D. */
public final class Reshape implements Layer {

  private final long[] target;

  /** {@code Reshape(target_shape)}: the shape of one example, without the batch axis. */
  public Reshape(long... target) {
    this.target = target.clone();
  }

  /** The shape each example takes ({@code target_shape}). */
  public long[] targetShape() {
    return target.clone();
  }

  @Override
  public String kerasType() {
    return "Reshape";
  }

  @Override
  public String baseName() {
    return "reshape";
  }

  @Override
  public long[] outputShape(long[] in) {
    if (Shapes.size(in) != Shapes.size(target)) {
      throw new IllegalArgumentException(
          "cannot reshape " + Shapes.keras(in) + " to " + Shapes.keras(target));
    }
    return target.clone();
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, Call call) {
    return tf.reshape(x, tf.constant(Shapes.withBatch(target)));
  }

  @Override
  public String config() {
    return "target_shape=" + Arrays.toString(target);
  }
}
