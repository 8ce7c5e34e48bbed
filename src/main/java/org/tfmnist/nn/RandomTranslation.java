package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RandomTranslation(height_factor, width_factor, fill_mode="reflect")}: in training
 * each image is shifted by a fraction drawn uniformly from [-height_factor, height_factor] of its
 * height (and likewise across); at inference it is the identity and adds no ops.
 */
public final class RandomTranslation extends RandomTransform {

  private final double heightFactor;
  private final double widthFactor;

  /**
   * Keras' {@code RandomTranslation(height_factor, width_factor)}: {@code fill_mode="reflect"},
   * {@code fill_value=0.0}; factors in [0, 1].
   */
  public RandomTranslation(double heightFactor, double widthFactor) {
    this(heightFactor, widthFactor, FillMode.REFLECT, 0f);
  }

  /**
   * {@code RandomTranslation(height_factor, width_factor, fill_mode=fill, fill_value=fillValue)};
   * factors in [0, 1].
   */
  public RandomTranslation(
      double heightFactor, double widthFactor, FillMode fill, float fillValue) {
    super(fill, fillValue);
    if (!(heightFactor >= 0 && heightFactor <= 1 && widthFactor >= 0 && widthFactor <= 1)) {
      throw new IllegalArgumentException(
          "RandomTranslation factors must be in [0, 1], got "
              + heightFactor
              + " and "
              + widthFactor);
    }
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor;
  }

  /** The largest vertical shift, a fraction of the height ({@code height_factor}). */
  public double heightFactor() {
    return heightFactor;
  }

  /** The largest horizontal shift, a fraction of the width ({@code width_factor}). */
  public double widthFactor() {
    return widthFactor;
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
  Operand<TFloat32> transforms(Ops tf, Operand<TFloat32> inputs, Call call) {
    long[] s = inputs.shape().asArray();
    Operand<TFloat32> dy =
        tf.math.mul(
            ImageTransform.uniform(tf, inputs, call, 2, 0, -heightFactor, heightFactor),
            tf.constant((float) s[1]));
    Operand<TFloat32> dx =
        tf.math.mul(
            ImageTransform.uniform(tf, inputs, call, 2, 1, -widthFactor, widthFactor),
            tf.constant((float) s[2]));
    Operand<TFloat32> one = tf.onesLike(dx);
    Operand<TFloat32> zero = tf.zerosLike(dx);
    return ImageTransform.affine(tf, one, zero, tf.math.neg(dx), zero, one, tf.math.neg(dy));
  }

  @Override
  String factors() {
    return "height_factor=" + heightFactor + ", width_factor=" + widthFactor;
  }
}
