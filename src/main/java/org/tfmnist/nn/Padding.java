package org.tfmnist.nn;

/** Keras' padding modes for convolution and pooling. */
public enum Padding {
  /** No padding: out = floor((in - k) / s) + 1. */
  VALID,
  /** Zero padding so that out = ceil(in / s). */
  SAME;

  /** The output length along one spatial axis. */
  public long outputLength(long in, int kernel, int stride) {
    return switch (this) {
      case VALID -> in < kernel ? 0 : (in - kernel) / stride + 1;
      case SAME -> (in + stride - 1) / stride;
    };
  }

  /** A pooling layer's output shape (height, width, channels), or why the pool does not fit. */
  static long[] pooledShape(String layer, long[] in, int pool, int stride, Padding padding) {
    if (in.length != 3) {
      throw new IllegalArgumentException(layer + " expects (None, height, width, channels), "
          + "got " + Shapes.keras(in));
    }
    long h = padding.outputLength(in[0], pool, stride);
    long w = padding.outputLength(in[1], pool, stride);
    if (h <= 0 || w <= 0) {
      throw new IllegalArgumentException("a " + pool + "x" + pool + " pool does not fit "
          + Shapes.keras(in));
    }
    return new long[] {h, w, in[2]};
  }

  public String tfName() {
    return name();
  }
}
