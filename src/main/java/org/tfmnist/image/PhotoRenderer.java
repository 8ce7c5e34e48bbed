package org.tfmnist.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.tfmnist.data.Mnist;
import org.tfmnist.util.AtomicFile;
import org.tfmnist.util.Png;

/**
 * Makes photo-like pictures of MNIST digits, to try {@code predict} on and to test it: the digit in
 * dark ink on light, often coloured paper, 48-280 px, off-centre, with uneven lighting and sensor
 * noise, saved as PNG or JPEG.
 */
public final class PhotoRenderer {

  private PhotoRenderer() {}

  /** A photo of {@code digit} (784 values in [0,1], white on black). */
  public static BufferedImage render(float[] digit, Random rnd) {
    return render(digit, rnd, 0);
  }

  /**
   * A photo of {@code digit}; {@code pen} > 0 redraws the strokes with a pen that much thinner (in
   * 28-px units: the stroke is eroded by pen/2 on each side), as a fine pen writes.
   */
  public static BufferedImage render(float[] digit, Random rnd, double pen) {
    int w = 48 + rnd.nextInt(233);
    int h = 48 + rnd.nextInt(233);
    int side = (int) (Math.min(w, h) * (0.45 + 0.5 * rnd.nextDouble()));
    float[] big = Resample.resize(digit, Mnist.SIDE, Mnist.SIDE, side, side);
    int r = (int) Math.round(pen / 2 * side / (double) Mnist.SIDE);
    if (r > 0) {
      float[] eroded = PlaneFilters.slidingExtreme(big, side, side, r, false);
      big = PlaneFilters.boxBlur(eroded, side, side, Math.max(1, side / 100));
    }
    int ox = rnd.nextInt(Math.max(1, w - side + 1));
    int oy = rnd.nextInt(Math.max(1, h - side + 1));
    float[] paper = hsv(rnd.nextFloat(), 0.35f * rnd.nextFloat(), 0.75f + 0.25f * rnd.nextFloat());
    float[] ink = hsv(rnd.nextFloat(), 0.9f * rnd.nextFloat(), 0.35f * rnd.nextFloat());
    double gx = (rnd.nextDouble() - 0.5) * 0.5;
    double gy = (rnd.nextDouble() - 0.5) * 0.5;
    double noise = 0.05 * rnd.nextDouble();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int bx = x - ox;
        int by = y - oy;
        float a = bx >= 0 && by >= 0 && bx < side && by < side ? big[by * side + bx] : 0f;
        a = Math.max(0, Math.min(1, a));
        double light = 1 + gx * (x / (double) w - 0.5) + gy * (y / (double) h - 0.5);
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          double v = (paper[c] * (1 - a) + ink[c] * a) * light + noise * rnd.nextGaussian();
          rgb = (rgb << 8) | (int) Math.round(255 * Math.max(0, Math.min(1, v)));
        }
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  private static float[] hsv(float hue, float sat, float val) {
    int rgb = java.awt.Color.HSBtoRGB(hue, sat, val);
    return new float[] {
      ((rgb >> 16) & 0xff) / 255f, ((rgb >> 8) & 0xff) / 255f, (rgb & 0xff) / 255f
    };
  }

  /** Writes {@code img} as PNG or JPEG (quality 0.6-0.95) depending on {@code file}'s name. */
  public static void write(BufferedImage img, Path file, Random rnd) throws IOException {
    if (file.toString().endsWith(".png")) {
      Png.write(img, file);
      return;
    }
    Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter wr = it.next();
    ImageWriteParam p = wr.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(0.6f + 0.35f * rnd.nextFloat());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      wr.setOutput(out);
      wr.write(null, new IIOImage(img, null, null), p);
    } finally {
      wr.dispose();
    }
    AtomicFile.write(file, bytes.toByteArray());
  }
}
