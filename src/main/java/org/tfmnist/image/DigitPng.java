package org.tfmnist.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.tfmnist.data.Mnist;

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
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try {
      ImageIO.write(image(pixels), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
