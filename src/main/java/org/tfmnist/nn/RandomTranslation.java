package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RandomTranslation(height_factor, width_factor, fill_mode="reflect")}: in training
 * each image is shifted by a fraction drawn uniformly from [-height_factor, height_factor] of its
 * height (and likewise across); at inference it is the identity and adds no ops.
 */
public final class RandomTranslation implements Layer {

  private final double heightFactor;
  private final double widthFactor;
  private final FillMode fill;
  private final float fillValue;

  public RandomTranslation(double heightFactor, double widthFactor) {
    this(heightFactor, widthFactor, FillMode.REFLECT, 0f);
  }

  public RandomTranslation(double heightFactor, double widthFactor, FillMode fill,
      float fillValue) {
    if (!(heightFactor >= 0 && heightFactor <= 1 && widthFactor >= 0 && widthFactor <= 1)) {
      throw new IllegalArgumentException("RandomTranslation factors must be in [0, 1], got "
          + heightFactor + " and " + widthFactor);
    }
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor;
    this.fill = fill;
    this.fillValue = fillValue;
  }

  @Override
  public String kerasType() {
    return "RandomTranslation";
  }

  @Override
  public String baseName() {
    return "random_translation";
  }

  @Override
  public long[] outputShape(long[] in) {
    ImageTransform.checkImage("RandomTranslation", in);
    return in.clone();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, Call call) {
    if (!call.training()) {
      return inputs;
    }
    long[] s = inputs.shape().asArray();
    Operand<TFloat32> dy = tf.math.mul(ImageTransform.uniform(tf, inputs, call, 2, 0,
        -heightFactor, heightFactor), tf.constant((float) s[1]));
    Operand<TFloat32> dx = tf.math.mul(ImageTransform.uniform(tf, inputs, call, 2, 1,
        -widthFactor, widthFactor), tf.constant((float) s[2]));
    Operand<TFloat32> one = tf.onesLike(dx);
    Operand<TFloat32> zero = tf.zerosLike(dx);
    return ImageTransform.apply(tf, inputs, ImageTransform.affine(tf, one, zero, tf.math.neg(dx),
        zero, one, tf.math.neg(dy)), fill, fillValue);
  }

  @Override
  public String config() {
    return "height_factor=" + heightFactor + ", width_factor=" + widthFactor + ", fill_mode="
        + fill.kerasName() + ", fill_value=" + fillValue;
  }
}
