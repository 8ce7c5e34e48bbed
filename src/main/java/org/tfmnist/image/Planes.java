package org.tfmnist.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A picture as planes of floats in [0, 1], row-major: its red, green and blue, its luminance, and
 * the level of its border, from which the digit preprocessing tells ink from paper.
 */
final class Planes {

  private Planes() {}

  /** R, G, B planes in [0,1]; transparent pixels flattened onto a contrasting colour. */
  static float[][] toRgb(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int bands = img.getRaster().getNumBands();
    boolean alpha = img.getColorModel().hasAlpha();
    float[][] rgba = new float[4][w * h];
    if (img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
        && bands <= 2) {
      // grey PNGs: the stored values; getRGB would apply a gamma curve to them
      int bits = img.getColorModel().getComponentSize(0);
      float max = (1 << bits) - 1;
      java.awt.image.Raster r = img.getRaster();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float g = r.getSample(x, y, 0) / max;
          int i = y * w + x;
          rgba[0][i] = g;
          rgba[1][i] = g;
          rgba[2][i] = g;
          rgba[3][i] = alpha ? r.getSample(x, y, 1) / max : 1f;
        }
      }
    } else if (img.getColorModel() instanceof java.awt.image.ComponentColorModel cm
        && cm.getColorSpace().isCS_sRGB()
        && bands >= 3
        && cm.getComponentSize(0) == 8) {
      // 8-bit RGB(A) rasters (PNG, JPEG): the samples directly, band by band
      java.awt.image.Raster r = img.getRaster();
      int[] buf = new int[w * h];
      for (int c = 0; c < (alpha ? 4 : 3); c++) {
        r.getSamples(0, 0, w, h, c, buf);
        float[] dst = rgba[c];
        for (int i = 0; i < buf.length; i++) {
          dst[i] = buf[i] / 255f;
        }
      }
      if (!alpha) {
        java.util.Arrays.fill(rgba[3], 1f);
      }
    } else {
      int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
      for (int i = 0; i < argb.length; i++) {
        int p = argb[i];
        rgba[0][i] = ((p >> 16) & 0xff) / 255f;
        rgba[1][i] = ((p >> 8) & 0xff) / 255f;
        rgba[2][i] = (p & 0xff) / 255f;
        rgba[3][i] = alpha ? (p >>> 24) / 255f : 1f;
      }
    }
    float backdrop = 1f;
    if (alpha) {
      double sum = 0;
      int n = 0;
      for (int i = 0; i < w * h; i++) {
        if (rgba[3][i] >= 0.5f) {
          sum += 0.299 * rgba[0][i] + 0.587 * rgba[1][i] + 0.114 * rgba[2][i];
          n++;
        }
      }
      // dark strokes on transparency go onto white paper, light strokes onto black
      backdrop = n == 0 || sum / n < 0.5 ? 1f : 0f;
    }
    float[][] rgb = new float[3][];
    for (int c = 0; c < 3; c++) {
      rgb[c] = rgba[c];
      if (alpha) {
        for (int i = 0; i < w * h; i++) {
          rgb[c][i] = rgba[3][i] * rgb[c][i] + (1 - rgba[3][i]) * backdrop;
        }
      }
    }
    return rgb;
  }

  /** ITU-R 601 luma, as PIL's convert('L'). */
  static float[] luminance(float[][] rgb) {
    float[] l = new float[rgb[0].length];
    for (int i = 0; i < l.length; i++) {
      l[i] = 0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i];
    }
    return l;
  }

  /** The median luminance of the picture's outer ring (3 % of the smaller side, at least 1 px). */
  static float borderMedian(float[] lum, int w, int h) {
    int ring = Math.max(1, Math.min(w, h) * 3 / 100);
    float[] v = new float[w * h];
    int n = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (x < ring || y < ring || x >= w - ring || y >= h - ring) {
          v[n++] = lum[y * w + x];
        }
      }
    }
    float[] b = Arrays.copyOf(v, n);
    Arrays.sort(b);
    return b[n / 2];
  }
}
