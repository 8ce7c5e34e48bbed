package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * What Keras' random image layers share: they take (height, width, channels) images, warp each one
 * through a transform of its own drawn in the training step ({@link ImageTransform}), fill what
 * comes in from outside as {@code fill_mode} says, and at inference are the identity and add no
 * ops.
 */
public abstract class RandomTransform implements Layer {

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

  /** How pixels brought in from outside are filled ({@code fill_mode}). */
  public FillMode fillMode() {
    return fill;
  }

  /**
   * The value of pixels brought in from outside when the fill mode is constant ({@code fill_value},
   * 0.0 by default).
   */
  public float fillValue() {
    return fillValue;
  }

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
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> inputs, Call call) {
    if (!call.training()) {
      return inputs;
    }
    // the warp runs in float32 whatever the policy (it is cheap, and its interpolation exact)
    Operand<TFloat32> images = DTypePolicy.autocast(tf, inputs, TFloat32.class);
    Operand<TFloat32> out =
        ImageTransform.apply(tf, images, transforms(tf, images, call), fill, fillValue);
    return DTypePolicy.autocast(tf, out, inputs.type());
  }

  @Override
  public String config() {
    return factors() + ", fill_mode=" + fill.kerasName() + ", fill_value=" + fillValue;
  }
}
