package org.tfmnist.nn;

import java.util.Locale;

/**
 * How Keras' image augmentation layers fill the pixels a transform brings in from outside the image
 * ({@code fill_mode}): {@code reflect} (Keras' default), {@code constant} (with {@code
 * fill_value}), {@code nearest} or {@code wrap}.
 */
public enum FillMode {
  REFLECT,
  CONSTANT,
  NEAREST,
  WRAP;

  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
