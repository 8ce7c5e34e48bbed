package org.tfmnist.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code AveragePooling2D(pool_size, strides=pool_size, padding)} on NHWC: TensorFlow's
 * {@code AvgPool}, which with {@code same} padding averages only the pixels inside the image.
 */
public final class AveragePooling2D implements Layer {

  private final int pool;
  private final int stride;
  private final Padding padding;

  /** {@code AveragePooling2D(pool_size=(p, p))}: strides default to the pool size. */
  public AveragePooling2D(int pool) {
    this(pool, pool, Padding.VALID);
  }

  public AveragePooling2D(int pool, int stride, Padding padding) {
    if (pool <= 0 || stride <= 0) {
      throw new IllegalArgumentException("pool size and stride must be positive");
    }
    this.pool = pool;
    this.stride = stride;
    this.padding = padding;
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
  public long[] outputShape(long[] in) {
    return Padding.pooledShape("AveragePooling2D", in, pool, stride, padding);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, Call call) {
    return tf.nn.avgPool(inputs, List.of(1L, (long) pool, (long) pool, 1L),
        List.of(1L, (long) stride, (long) stride, 1L), padding.tfName());
  }

  @Override
  public String config() {
    return "pool_size=(" + pool + ", " + pool + "), strides=(" + stride + ", " + stride
        + "), padding=" + padding.name().toLowerCase();
  }
}
