package org.tfmnist.data;

import java.util.Objects;

/**
 * A set of {@code count} grey-scale images of {@code rows x cols} uint8 pixels (0 = background, 255
 * = ink, as in MNIST) with one label 0-9 each. Pixels are stored image after image, row-major.
 */
public record LabeledImages(byte[] pixels, byte[] labels, int count, int rows, int cols) {

  /** The number of classes: labels run from 0 to 9. */
  public static final int CLASSES = Mnist.CLASSES;

  /** Checks that there are {@code count} labels and {@code count * rows * cols} pixels. */
  public LabeledImages {
    Objects.requireNonNull(pixels);
    Objects.requireNonNull(labels);
    if (labels.length != count || (long) count * rows * cols != pixels.length) {
      throw new IllegalArgumentException(
          "inconsistent image set: "
              + count
              + " x "
              + rows
              + "x"
              + cols
              + " with "
              + pixels.length
              + " pixels and "
              + labels.length
              + " labels");
    }
  }

  /** {@code rows * cols}. */
  public int pixelsPerImage() {
    return rows * cols;
  }

  /** Image {@code i}'s label, 0-9. */
  public int label(int i) {
    return labels[i];
  }

  /** Images {@code [from, to)} as a new set (copies). */
  public LabeledImages slice(int from, int to) {
    if (from < 0 || to > count || from > to) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") of " + count);
    }
    int ppi = pixelsPerImage();
    byte[] p = new byte[(to - from) * ppi];
    System.arraycopy(pixels, from * ppi, p, 0, p.length);
    byte[] l = new byte[to - from];
    System.arraycopy(labels, from, l, 0, l.length);
    return new LabeledImages(p, l, to - from, rows, cols);
  }

  /** The first {@code n} images (all of them if {@code n} is larger than the set). */
  public LabeledImages first(int n) {
    return n >= count ? this : slice(0, n);
  }

  /** The first {@code n} images; all of them when {@code n <= 0} (a "no limit" option). */
  public LabeledImages limit(int n) {
    return n > 0 ? first(n) : this;
  }

  /** All images as floats in [0,1] (x / 255), 784 per image, as the models take them. */
  public float[] floats() {
    float[] f = new float[pixels.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (pixels[i] & 0xff) / 255f;
    }
    return f;
  }

  /** How many images of each class. */
  public int[] classCounts() {
    int[] counts = new int[CLASSES];
    for (byte b : labels) {
      counts[b]++;
    }
    return counts;
  }

  /** Image {@code i} as floats in [0,1] (x / 255, the tutorials' preprocessing). */
  public float[] imageAsFloats(int i) {
    int ppi = pixelsPerImage();
    float[] out = new float[ppi];
    for (int k = 0; k < ppi; k++) {
      out[k] = (pixels[i * ppi + k] & 0xff) / 255f;
    }
    return out;
  }
}
