package org.tfmnist.image;

import java.awt.image.BufferedImage;
import org.tfmnist.data.Mnist;
import org.tfmnist.util.Png;

/** A 28x28 model input (floats in [0, 1], white on black) as a grey PNG: what the model saw. */
public final class DigitPng {

  private DigitPng() {}

  public static BufferedImage image(float[] pixels) {
    BufferedImage img = new BufferedImage(Mnist.SIDE, Mnist.SIDE, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < Mnist.SIDE; y++) {
      for (int x = 0; x < Mnist.SIDE; x++) {
        int v = Math.round(Math.max(0, Math.min(1, pixels[y * Mnist.SIDE + x])) * 255);
        img.getRaster().setSample(x, y, 0, v);
      }
    }
    return img;
  }

  /** The PNG file's bytes. */
  public static byte[] encode(float[] pixels) {
    return Png.encode(image(pixels));
  }
}
