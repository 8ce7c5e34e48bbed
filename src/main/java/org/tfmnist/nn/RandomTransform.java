package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What Keras' random image layers share: they take (height, width, channels) images, warp each one
 * through a transform of its own drawn in the training step ({@link ImageTransform}), fill what
 * comes in from outside as {@code fill_mode} says, and at inference are the identity and add no
 * ops.
 */
abstract class RandomTransform implements Layer {

  private final FillMode fill;
  private final float fillValue;

  RandomTransform(FillMode fill, float fillValue) {
    this.fill = fill;
    this.fillValue = fillValue;
  }

  /** Each image's transform, [batch, 8], drawn with {@code call}'s seed. */
  abstract Operand<TFloat32> transforms(Ops tf, Operand<TFloat32> images, Call call);

  /** The layer's own arguments in Keras' words ("factor=0.1"). */
  abstract String factors();

  @Override
  public long[] outputShape(long[] in) {
    if (in.length != 3) {
      throw new IllegalArgumentException(
          kerasType()
              + " expects (None, height, width, "
              + "channels), got "
              + Shapes.keras(in)
              + ": add Reshape((28, 28, 1)) first");
    }
    return in.clone();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, Call call) {
    if (!call.training()) {
      return inputs;
    }
    return ImageTransform.apply(tf, inputs, transforms(tf, inputs, call), fill, fillValue);
  }

  @Override
  public String config() {
    return factors() + ", fill_mode=" + fill.kerasName() + ", fill_value=" + fillValue;
  }
}
