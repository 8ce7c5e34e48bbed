package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras' {@code AveragePooling2D(pool_size, strides=pool_size, padding)} on NHWC: TensorFlow's
 * {@code AvgPool}, which with {@code same} padding averages only the pixels inside the image.
 */
public final class AveragePooling2D extends Pooling2D {

  /**
   * Keras' {@code AveragePooling2D()} with its defaults: {@code pool_size=(2, 2)}, strides the pool
   * size, {@code padding="valid"}.
   */
  public AveragePooling2D() {
    this(2);
  }

  /** {@code AveragePooling2D(pool_size=(p, p))}: strides default to the pool size. */
  public AveragePooling2D(int pool) {
    this(pool, pool, Padding.VALID);
  }

  /**
   * {@code AveragePooling2D(pool_size=(pool, pool), strides=(stride, stride), padding=padding)}.
   */
  public AveragePooling2D(int pool, int stride, Padding padding) {
    super(pool, stride, padding);
  }

  /** This layer with Keras' {@code padding=...}. */
  public AveragePooling2D padding(Padding padding) {
    return new AveragePooling2D(pool, stride, padding);
  }

  /** This layer with Keras' {@code strides=(s, s)}. */
  public AveragePooling2D strides(int stride) {
    return new AveragePooling2D(pool, stride, padding);
  }

  @Override
  public String kerasType() {
    return "AveragePooling2D";
  }

  @Override
  public String baseName() {
    return "average_pooling2d";
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> inputs, Call call) {
    return tf.nn.avgPool(inputs, window(), strides(), padding.tfName());
  }
}
