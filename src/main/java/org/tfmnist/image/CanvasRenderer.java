package org.tfmnist.image;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.tfmnist.data.Mnist;

/**
 * Makes what a drawing page's canvas exports from MNIST digits: 280x280 PNG, the digit's strokes
 * redrawn crisp (a marker's edge, not MNIST's blur) at a random size and place, in one of three
 * styles: white on black, black on white, or dark ink on transparent pixels (an unfilled HTML
 * canvas's {@code toDataURL()}).
 */
public final class CanvasRenderer {

  public static final int SIZE = 280;

  /** How the ink and the background look. */
  public enum Style {
    WHITE_ON_BLACK("white"),
    BLACK_ON_WHITE("black"),
    BLACK_ON_TRANSPARENT("transparent");

    public final String tag;

    Style(String tag) {
      this.tag = tag;
    }
  }

  private CanvasRenderer() {}

  /** A canvas drawing of {@code digit} (784 values in [0,1], white on black). */
  public static BufferedImage render(float[] digit, Style style, Random rnd) {
    int side = 150 + rnd.nextInt(110);
    int ox = rnd.nextInt(SIZE - side + 1);
    int oy = rnd.nextInt(SIZE - side + 1);
    float[] big = Resample.resize(digit, Mnist.SIDE, Mnist.SIDE, side, side);
    BufferedImage img =
        new BufferedImage(
            SIZE,
            SIZE,
            style == Style.BLACK_ON_TRANSPARENT
                ? BufferedImage.TYPE_INT_ARGB
                : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int bx = x - ox;
        int by = y - oy;
        float v = bx >= 0 && by >= 0 && bx < side && by < side ? big[by * side + bx] : 0f;
        // a marker's stroke: solid inside, a two-pixel anti-aliased edge
        double a = Math.max(0, Math.min(1, (v - 0.3) / 0.15));
        int ink = (int) Math.round(a * 255);
        img.setRGB(
            x,
            y,
            switch (style) {
              case WHITE_ON_BLACK -> 0xff000000 | ink * 0x010101;
              case BLACK_ON_WHITE -> 0xff000000 | (255 - ink) * 0x010101;
              case BLACK_ON_TRANSPARENT -> ink << 24 | 0x111111;
            });
      }
    }
    return img;
  }
}
