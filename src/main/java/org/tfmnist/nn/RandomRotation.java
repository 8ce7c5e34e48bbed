package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RandomRotation(factor, fill_mode="reflect")}: in training each image is rotated
 * about its centre by an angle drawn uniformly from [-factor, factor] x 2 pi (factor 0.05 is up to
 * 18 degrees either way); at inference it is the identity and adds no ops.
 */
public final class RandomRotation extends RandomTransform {

  private final double factor;

  /**
   * Keras' {@code RandomRotation(factor)}: {@code fill_mode="reflect"}, {@code fill_value=0.0};
   * factor in [0, 1].
   */
  public RandomRotation(double factor) {
    this(factor, FillMode.REFLECT, 0f);
  }

  /** {@code RandomRotation(factor, fill_mode=fill, fill_value=fillValue)}; factor in [0, 1]. */
  public RandomRotation(double factor, FillMode fill, float fillValue) {
    super(fill, fillValue);
    if (!(factor >= 0 && factor <= 1)) {
      throw new IllegalArgumentException("RandomRotation factor must be in [0, 1], got " + factor);
    }
    this.factor = factor;
  }

  /** A fraction of a full turn: angles are drawn from [-factor, factor] x 2 pi. */
  public double factor() {
    return factor;
  }

  @Override
  public String kerasType() {
    return "RandomRotation";
  }

  @Override
  public String baseName() {
    return "random_rotation";
  }

  @Override
  Operand<TFloat32> transforms(Ops tf, Operand<TFloat32> inputs, Call call) {
    long[] s = inputs.shape().asArray();
    float h = s[1] - 1;
    float w = s[2] - 1;
    Operand<TFloat32> angle =
        ImageTransform.uniform(tf, inputs, call, 1, 0, -factor * 2 * Math.PI, factor * 2 * Math.PI);
    Operand<TFloat32> cos = tf.math.cos(angle);
    Operand<TFloat32> sin = tf.math.sin(angle);
    // Keras' rotation about the centre: offsets keep the middle pixel in place
    Operand<TFloat32> x0 =
        tf.math.mul(
            tf.math.sub(
                tf.constant(w),
                tf.math.sub(tf.math.mul(cos, tf.constant(w)), tf.math.mul(sin, tf.constant(h)))),
            tf.constant(0.5f));
    Operand<TFloat32> y0 =
        tf.math.mul(
            tf.math.sub(
                tf.constant(h),
                tf.math.add(tf.math.mul(sin, tf.constant(w)), tf.math.mul(cos, tf.constant(h)))),
            tf.constant(0.5f));
    return ImageTransform.affine(tf, cos, tf.math.neg(sin), x0, sin, cos, y0);
  }

  @Override
  String factors() {
    return "factor=" + factor;
  }
}
