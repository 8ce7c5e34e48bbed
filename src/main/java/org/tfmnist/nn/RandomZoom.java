package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RandomZoom(height_factor, width_factor=None, fill_mode="reflect")}: in training
 * each image is scaled about its centre by 1 + z, z drawn uniformly from [-height_factor,
 * height_factor] (a positive z zooms out, as in Keras); without a width factor the same z keeps the
 * aspect ratio. At inference it is the identity and adds no ops.
 */
public final class RandomZoom extends RandomTransform {

  private final double heightFactor;
  private final Double widthFactor;

  /**
   * Keras' {@code RandomZoom(height_factor)}: {@code width_factor=None} (both axes alike), {@code
   * fill_mode="reflect"}, {@code fill_value=0.0}; the factor in [0, 1).
   */
  public RandomZoom(double heightFactor) {
    this(heightFactor, null, FillMode.REFLECT, 0f);
  }

  /** {@code widthFactor} null zooms both axes alike. */
  public RandomZoom(double heightFactor, Double widthFactor, FillMode fill, float fillValue) {
    super(fill, fillValue);
    if (!(heightFactor >= 0 && heightFactor < 1)
        || (widthFactor != null && !(widthFactor >= 0 && widthFactor < 1))) {
      throw new IllegalArgumentException(
          "RandomZoom factors must be in [0, 1), got " + heightFactor + " and " + widthFactor);
    }
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor;
  }

  /** The largest zoom, a fraction of the size ({@code height_factor}). */
  public double heightFactor() {
    return heightFactor;
  }

  /** Null: the height factor, keeping the aspect ratio (Keras' {@code width_factor=None}). */
  public Double widthFactor() {
    return widthFactor;
  }

  @Override
  public String kerasType() {
    return "RandomZoom";
  }

  @Override
  public String baseName() {
    return "random_zoom";
  }

  @Override
  Operand<TFloat32> transforms(Ops tf, Operand<TFloat32> inputs, Call call) {
    long[] s = inputs.shape().asArray();
    float h = s[1] - 1;
    float w = s[2] - 1;
    Operand<TFloat32> zy =
        tf.math.add(
            tf.constant(1f),
            ImageTransform.uniform(tf, inputs, call, 2, 0, -heightFactor, heightFactor));
    Operand<TFloat32> zx =
        widthFactor == null
            ? zy
            : tf.math.add(
                tf.constant(1f),
                ImageTransform.uniform(tf, inputs, call, 2, 1, -widthFactor, widthFactor));
    Operand<TFloat32> x0 = tf.math.mul(tf.constant(w / 2), tf.math.sub(tf.constant(1f), zx));
    Operand<TFloat32> y0 = tf.math.mul(tf.constant(h / 2), tf.math.sub(tf.constant(1f), zy));
    Operand<TFloat32> zero = tf.zerosLike(zx);
    return ImageTransform.affine(tf, zx, zero, x0, zero, zy, y0);
  }

  @Override
  String factors() {
    return "height_factor=" + heightFactor + ", width_factor=" + widthFactor;
  }
}
