package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The projective warp behind Keras' augmentation layers: each image of an NHWC batch resampled
 * (bilinear) through its own 3x3 matrix, given as TensorFlow's 8 numbers {@code [a0 a1 a2 b0 b1 b2
 * c0 c1]} that map an output pixel (x, y) to the input point ((a0 x + a1 y + a2) / k, (b0 x + b1 y
 * + b2) / k), k = c0 x + c1 y + 1.
 */
final class ImageTransform {

  private ImageTransform() {}

  static Operand<TFloat32> apply(
      Ops tf,
      Operand<TFloat32> images,
      Operand<TFloat32> transforms,
      FillMode fill,
      float fillValue) {
    long[] s = images.shape().asArray();
    if (s.length != 4) {
      throw new IllegalStateException(
          "augmentation needs (batch, height, width, channels), " + "got " + images.shape());
    }
    Operand<TInt32> size = tf.constant(new int[] {(int) s[1], (int) s[2]});
    return tf.image.imageProjectiveTransformV3(
        images,
        transforms,
        size,
        tf.constant(fillValue),
        "BILINEAR",
        ImageProjectiveTransformV3.fillMode(fill.name()));
  }

  /** Rows of {@code [a0 a1 a2 b0 b1 b2 0 0]} from per-image columns [batch, 1]. */
  static Operand<TFloat32> affine(
      Ops tf,
      Operand<TFloat32> a0,
      Operand<TFloat32> a1,
      Operand<TFloat32> a2,
      Operand<TFloat32> b0,
      Operand<TFloat32> b1,
      Operand<TFloat32> b2) {
    Operand<TFloat32> zero = tf.zerosLike(a0);
    return tf.concat(java.util.List.of(a0, a1, a2, b0, b1, b2, zero, zero), tf.constant(1));
  }

  /** Per image, a uniform draw in [lo, hi), as a column [batch, 1]; column {@code k} of n. */
  static Operand<TFloat32> uniform(
      Ops tf, Operand<TFloat32> images, Call call, int columns, int k, double lo, double hi) {
    Operand<TInt32> batch =
        tf.slice(tf.shape(images), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> shape =
        tf.concat(java.util.List.of(batch, tf.constant(new int[] {columns})), tf.constant(0));
    Operand<TFloat32> u = tf.random.statelessRandomUniform(shape, call.seed());
    Operand<TFloat32> col =
        tf.slice(u, tf.constant(new int[] {0, k}), tf.constant(new int[] {-1, 1}));
    return tf.math.add(tf.math.mul(col, tf.constant((float) (hi - lo))), tf.constant((float) lo));
  }
}
