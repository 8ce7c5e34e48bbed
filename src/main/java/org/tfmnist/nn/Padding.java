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

  /** The name TensorFlow's ops take ({@code VALID}, {@code SAME}). */
  public String tfName() {
    return name();
  }
}
