package org.tfmnist.nn;

import java.util.List;

/**
 * What Keras' 2-D pooling layers share: {@code pool_size}, {@code strides} (the pool size by
 * default), {@code padding}, and the output shape they give an NHWC image.
 */
public abstract class Pooling2D implements Layer {

  final int pool;
  final int stride;
  final Padding padding;

  Pooling2D(int pool, int stride, Padding padding) {
    if (pool <= 0 || stride <= 0) {
      throw new IllegalArgumentException("pool size and stride must be positive");
    }
    this.pool = pool;
    this.stride = stride;
    this.padding = padding;
  }

  /** The window's side ({@code pool_size}). */
  public int poolSize() {
    return pool;
  }

  /** The step between windows ({@code strides}). */
  public int stride() {
    return stride;
  }

  /** {@code padding}: valid or same. */
  public Padding padding() {
    return padding;
  }

  @Override
  public long[] outputShape(long[] in) {
    if (in.length != 3) {
      throw new IllegalArgumentException(
          kerasType() + " expects (None, height, width, " + "channels), got " + Shapes.keras(in));
    }
    long h = padding.outputLength(in[0], pool, stride);
    long w = padding.outputLength(in[1], pool, stride);
    if (h <= 0 || w <= 0) {
      throw new IllegalArgumentException(
          "a " + pool + "x" + pool + " pool does not fit " + Shapes.keras(in));
    }
    return new long[] {h, w, in[2]};
  }

  /** The window and the strides as TensorFlow's NHWC attributes. */
  List<Long> window() {
    return List.of(1L, (long) pool, (long) pool, 1L);
  }

  List<Long> strides() {
    return List.of(1L, (long) stride, (long) stride, 1L);
  }

  @Override
  public String config() {
    return "pool_size=("
        + pool
        + ", "
        + pool
        + "), strides=("
        + stride
        + ", "
        + stride
        + "), padding="
        + padding.name().toLowerCase();
  }
}
