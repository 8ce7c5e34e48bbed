package org.tfmnist.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.tfmnist.data.Mnist;

/**
 * A grid of digits with a title over each, drawn with the JDK (Nielsen's 2x3 subplots, the Keras
 * CNN tutorial's 3x3 and its "actual/predict" grid, the dropout MLP tutorial's 3x5): digits dark on
 * white as matplotlib's {@code cmap='gray_r'} shows them, 4x enlarged, titles in black, or red
 * where marked.
 */
public final class DigitGrid {

  /** One cell: 784 pixels in [0,1] (white on black, MNIST's form), its title lines, red or not. */
  public record Cell(float[] pixels, List<String> title, boolean red) {}

  public static final int SCALE = 4;
  private static final int PAD = 12;
  private static final int LINE = 18;

  private DigitGrid() {}

  /** {@code columns} 0 picks ceil(sqrt(n)), as the Keras CNN tutorial's batchDraw does. */
  public static BufferedImage draw(String heading, List<Cell> cells, int columns) {
    int n = cells.size();
    int cols = columns > 0 ? columns : (int) Math.ceil(Math.sqrt(n));
    int rows = (n + cols - 1) / cols;
    int lines = cells.stream().mapToInt(c -> c.title().size()).max().orElse(0);
    int digit = Mnist.SIDE * SCALE;
    int cellW = digit + 2 * PAD;
    int cellH = digit + lines * LINE + 2 * PAD;
    int top = heading == null ? 0 : 40;
    BufferedImage img =
        new BufferedImage(
            Math.max(cols * cellW, 360), top + rows * cellH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      if (heading != null) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(heading, (img.getWidth() - fm.stringWidth(heading)) / 2, 27);
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      FontMetrics fm = g.getFontMetrics();
      for (int k = 0; k < n; k++) {
        Cell c = cells.get(k);
        int x0 = (k % cols) * cellW + PAD;
        int y0 = top + (k / cols) * cellH + PAD;
        g.setColor(c.red() ? new Color(0xD0, 0x10, 0x10) : Color.BLACK);
        for (int l = 0; l < c.title().size(); l++) {
          String t = c.title().get(l);
          g.drawString(t, x0 + (digit - fm.stringWidth(t)) / 2, y0 + (l + 1) * LINE - 4);
        }
        int dy = y0 + lines * LINE;
        for (int y = 0; y < Mnist.SIDE; y++) {
          for (int x = 0; x < Mnist.SIDE; x++) {
            int v =
                255 - Math.round(Math.max(0, Math.min(1, c.pixels()[y * Mnist.SIDE + x])) * 255);
            g.setColor(new Color(v, v, v));
            g.fillRect(x0 + x * SCALE, dy + y * SCALE, SCALE, SCALE);
          }
        }
        g.setColor(new Color(0xC8, 0xC8, 0xC8));
        g.drawRect(x0 - 1, dy - 1, digit + 1, digit + 1);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /**
   * The Keras MLP tutorial's print of {@code train_images[4]}: each row as a list of 0-255 values.
   */
  public static String ascii(byte[] pixels, int offset) {
    StringBuilder sb = new StringBuilder();
    for (int y = 0; y < Mnist.SIDE; y++) {
      sb.append('[');
      for (int x = 0; x < Mnist.SIDE; x++) {
        sb.append(x == 0 ? "" : ", ").append(pixels[offset + y * Mnist.SIDE + x] & 0xff);
      }
      sb.append("]\n");
    }
    return sb.toString();
  }
}
