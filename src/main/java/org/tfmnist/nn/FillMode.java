package org.tfmnist.nn;

import java.util.Locale;

/**
 * How Keras' image augmentation layers fill the pixels a transform brings in from outside the image
 * ({@code fill_mode}): {@code reflect} (Keras' default), {@code constant} (with {@code
 * fill_value}), {@code nearest} or {@code wrap}.
 */
public enum FillMode {
  /** {@code reflect}: mirrored about the edge (d c b a | a b c d | d c b a). */
  REFLECT,
  /** {@code constant}: the layer's {@code fill_value}. */
  CONSTANT,
  /** {@code nearest}: the nearest edge pixel (a a a a | a b c d | d d d d). */
  NEAREST,
  /** {@code wrap}: the image repeated (a b c d | a b c d | a b c d). */
  WRAP;

  /** The name Keras' {@code fill_mode} takes. */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
