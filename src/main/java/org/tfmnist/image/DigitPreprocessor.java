package org.tfmnist.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Turns a picture of a handwritten digit into what MNIST's digits are: 28x28, white ink on black,
 * the digit scaled so its longer side is 20 pixels (anti-aliased, aspect ratio kept) and placed so
 * its centre of mass is at the centre (pixel 14, 14), values in [0, 1].
 *
 * <ol>
 *   <li>Large pictures are first shrunk (area averaging) so the longer side is at most 560 px.
 *   <li>Transparency is flattened onto the colour that contrasts with the opaque pixels.
 *   <li>The paper is found from the picture's border: light paper means dark ink (the usual
 *       photo or scan), dark paper means light ink (MNIST-like drawings).
 *   <li>Ink is measured against the <em>local</em> paper colour (a morphological closing wider
 *       than any stroke, then smoothed), so shading, coloured paper and coloured ink all give
 *       the same ink map: how much each pixel departs from the paper around it.
 *   <li>On a lightly blurred ink map, Otsu's threshold (never below four times the paper's
 *       noise) gives the stroke mask; connected pieces much smaller than the largest (specks,
 *       paper texture) are dropped; no ink well above the paper's noise is an error ("blank").
 *   <li>The fainter ink connected to the strokes (hysteresis) is kept with its grey levels
 *       (anti-aliased edges), stretched so strokes reach 1; everything else is 0.
 *   <li>A fine pen's strokes are thickened to MNIST's width of about 2 px at the 20-px scale.
 *   <li>Crop to the ink, scale (area averaging down, bilinear up) to 20 px on the longer side,
 *       paste into 28x28 with the centre of mass at (14, 14), as MNIST was made.
 * </ol>
 *
 * <p>A 28x28 picture that already is MNIST-like (dark border, light strokes) passes through
 * unchanged.
 */
public final class DigitPreprocessor {

  public static final int SIZE = 28;
  public static final int BOX = 20;
  /** MNIST's strokes are about 2 px wide at the 20-px scale (median 1.96, 5th percentile 1.3). */
  private static final double MIN_STROKE = 1.4;
  private static final double TARGET_STROKE = 2.0;
  private static final int MAX_SIDE = 560;

  /** A picture the preprocessing cannot use (blank, say); the message is one line. */
  public static final class NoDigitException extends RuntimeException {
    public NoDigitException(String message) {
      super(message);
    }
  }

  /** The 28x28 result (row-major, [0,1], white on black) and what was done to get it. */
  public record Result(float[] pixels, boolean passThrough, boolean inverted) {}

  /** Preprocesses {@code img} into MNIST's format. */
  public Result process(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    float[][] rgb = toRgb(img);
    if (w > MAX_SIDE || h > MAX_SIDE) {
      double f = (double) MAX_SIDE / Math.max(w, h);
      int nw = Math.max(1, (int) Math.round(w * f));
      int nh = Math.max(1, (int) Math.round(h * f));
      for (int c = 0; c < 3; c++) {
        rgb[c] = Resample.resize(rgb[c], w, h, nw, nh);
      }
      w = nw;
      h = nh;
    }
    float[] lum = luminance(rgb);
    if (w == SIZE && h == SIZE && isMnistLike(lum)) {
      return new Result(lum, true, false);
    }
    boolean darkInk = borderMedian(lum, w, h) >= 0.5f;
    float[] ink = inkMap(rgb, w, h, darkInk);
    float[] digit = strokes(ink, w, h);
    return new Result(toMnist(digit, w, h), false, darkInk);
  }

  // ---------------------------------------------------------------- colour and paper

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
        && cm.getColorSpace().isCS_sRGB() && bands >= 3 && cm.getComponentSize(0) == 8) {
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

  /** A 28x28 picture with a dark border and bright strokes: already MNIST's format. */
  static boolean isMnistLike(float[] lum) {
    double border = 0;
    int n = 0;
    float max = 0;
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        float v = lum[y * SIZE + x];
        max = Math.max(max, v);
        if (x < 2 || y < 2 || x >= SIZE - 2 || y >= SIZE - 2) {
          border += v;
          n++;
        }
      }
    }
    return border / n < 0.05 && max > 0.5;
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

  /**
   * How far each pixel departs from the local paper colour, in [0, 1]: for dark ink the summed
   * per-channel darkening relative to the paper's brightness, for light ink the brightening.
   */
  static float[] inkMap(float[][] rgb, int w, int h, boolean darkInk) {
    // the paper varies slowly: estimate it on a picture shrunk to about 32 px on the shorter
    // side (area averaging), then interpolate back up
    int f = Math.max(1, Math.min(w, h) / 32);
    int sw = Math.max(1, w / f);
    int sh = Math.max(1, h / f);
    int radius = Math.max(1, Math.min(sw, sh) / 6);
    float[][] paper = new float[3][];
    for (int c = 0; c < 3; c++) {
      float[] small = f == 1 ? rgb[c] : Resample.resize(rgb[c], w, h, sw, sh);
      // a closing (max then min filter) for dark ink, an opening for light ink: wider than any
      // stroke, it removes the strokes but, unlike a plain max filter, does not ride on the
      // paper grain's brightest specks
      float[] p = Filters.slidingExtreme(small, sw, sh, radius, darkInk);
      p = Filters.slidingExtreme(p, sw, sh, radius, !darkInk);
      p = Filters.boxBlur(p, sw, sh, radius);
      paper[c] = f == 1 ? p : Resample.resize(p, sw, sh, w, h);
    }
    float[] ink = new float[w * h];
    for (int i = 0; i < ink.length; i++) {
      float num = 0;
      float den = 0;
      for (int c = 0; c < 3; c++) {
        float bg = paper[c][i];
        float px = rgb[c][i];
        if (darkInk) {
          num += Math.max(0, bg - px);
          den += bg;
        } else {
          num += Math.max(0, px - bg);
          den += 1 - bg;
        }
      }
      ink[i] = Math.min(1f, num / Math.max(den, 0.15f));
    }
    return ink;
  }

  // ---------------------------------------------------------------- strokes

  /** The ink map reduced to the digit's strokes: threshold, specks removed, grey edges kept. */
  static float[] strokes(float[] rawInk, int w, int h) {
    // a light [1 2 1] blur takes the paper's grain and the sensor noise down (to 0.38 sigma)
    // before thresholding, and keeps half the contrast of a one-pixel pen line
    // (the blurred map decides what is ink; the picture's own values are what is kept)
    float[] ink = Filters.binomialBlur(rawInk, w, h);
    // the paper reads as a little ink (the local-paper estimate sits on the grain's peaks):
    // measure ink from the paper's typical level, and know the paper's noise
    float paperLevel = Filters.median(ink);
    double paperNoise = Filters.robustSigma(ink, new boolean[ink.length]);
    float[] kept = new float[ink.length];
    for (int i = 0; i < ink.length; i++) {
      ink[i] = Math.max(0f, ink[i] - paperLevel);
      kept[i] = Math.max(0f, rawInk[i] - paperLevel);
    }
    // Otsu's threshold, but never inside the paper's own noise: with a small digit on a large
    // grainy page Otsu alone splits the noise, whose specks then join into one big "stroke"
    float t = (float) Math.max(Math.max(Filters.otsu(ink), 4 * paperNoise), 0.02);
    boolean[] mask = new boolean[ink.length];
    for (int i = 0; i < ink.length; i++) {
      mask[i] = ink[i] > t;
    }
    int[] labels = new int[ink.length];
    int[] areas = Filters.components(mask, w, h, labels);
    int largest = 0;
    for (int a : areas) {
      largest = Math.max(largest, a);
    }
    int keepArea = Math.max(3, (int) (0.08 * largest));
    int inkN = 0;
    for (int i = 0; i < ink.length; i++) {
      mask[i] = mask[i] && areas[labels[i]] >= keepArea;
      inkN += mask[i] ? 1 : 0;
    }
    // real strokes stand far above the paper's noise (specks of noise just clear the
    // threshold) and span more than a speck of dust does
    float strokeLevel = inkN == 0 ? 0 : Filters.percentile(ink, mask, 0.9f);
    int extent = Filters.largestExtent(labels, areas, w, h);
    if (largest < 6 || extent < Math.max(5, 0.06 * Math.min(w, h))) {
      throw new NoDigitException(String.format(java.util.Locale.ROOT,
          "no ink found (a blank picture? the largest mark is %d px across)", extent));
    }
    if (strokeLevel < Math.max(0.06, 6 * paperNoise)) {
      throw new NoDigitException(String.format(java.util.Locale.ROOT,
          "no ink found (a blank picture? the darkest marks differ from the paper by %.0f %%, "
              + "the paper's own noise is %.1f %%)", 100 * strokeLevel, 100 * paperNoise));
    }
    // strokes reach 1 (as MNIST's do) however faint the pen; the anti-aliased fringe around
    // them (fainter ink connected to the strokes: hysteresis) keeps its grey levels and counts
    // in the bounding box, as in MNIST, where the 20-px box holds the grey edges too
    float hi = Math.max(Filters.percentile(kept, mask, 0.9f), 1e-3f);
    boolean[] edge = Filters.grow(mask, ink, (float) Math.max(t / 3, 3 * paperNoise), w, h);
    float[] out = new float[ink.length];
    for (int i = 0; i < ink.length; i++) {
      if (edge[i]) {
        out[i] = Math.min(1f, kept[i] / hi);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- MNIST's normalisation

  /** Crop, scale the longer side to 20 px, centre the mass at (14, 14) in 28x28. */
  static float[] toMnist(float[] digit, int w, int h) {
    int[] box = Filters.bbox(w, h, i -> digit[i] > 0);
    if (box == null) {
      throw new NoDigitException("no ink found (a blank picture?)");
    }
    int x0 = box[0];
    int y0 = box[1];
    int x1 = box[2];
    int y1 = box[3];
    int cw = x1 - x0 + 1;
    int ch = y1 - y0 + 1;
    float[] crop = new float[cw * ch];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(digit, (y0 + y) * w + x0, crop, y * cw, cw);
    }
    // a fine pen: thicken the strokes to MNIST's ~2 px (at the 20-px scale) before shrinking,
    // or they fade to faint hairlines the network never saw in training
    double width = strokeWidth(crop, cw, ch);
    double scale = (double) BOX / Math.max(cw, ch);
    if (width * scale < MIN_STROKE) {
      int r = (int) Math.ceil((TARGET_STROKE / scale - width) / 2);
      int pw = cw + 2 * r;
      int ph = ch + 2 * r;
      float[] padded = new float[pw * ph];
      for (int y = 0; y < ch; y++) {
        System.arraycopy(crop, y * cw, padded, (y + r) * pw + r, cw);
      }
      crop = Filters.slidingExtreme(padded, pw, ph, r, true);
      cw = pw;
      ch = ph;
    }
    int tw;
    int th;
    if (cw >= ch) {
      tw = BOX;
      th = Math.max(1, (int) Math.round((double) ch * BOX / cw));
    } else {
      th = BOX;
      tw = Math.max(1, (int) Math.round((double) cw * BOX / ch));
    }
    float[] small = Resample.resize(crop, cw, ch, tw, th);
    double m = 0;
    double mx = 0;
    double my = 0;
    for (int y = 0; y < th; y++) {
      for (int x = 0; x < tw; x++) {
        float v = small[y * tw + x];
        m += v;
        mx += v * x;
        my += v * y;
      }
    }
    int dx = (int) Math.round(14 - mx / m);
    int dy = (int) Math.round(14 - my / m);
    float[] out = new float[SIZE * SIZE];
    for (int y = 0; y < th; y++) {
      int ty = y + dy;
      if (ty < 0 || ty >= SIZE) {
        continue;
      }
      for (int x = 0; x < tw; x++) {
        int tx = x + dx;
        if (tx >= 0 && tx < SIZE) {
          out[ty * SIZE + tx] = Math.min(1f, Math.max(0f, small[y * tw + x]));
        }
      }
    }
    return out;
  }

  /**
   * The mean stroke width of the strokes above half intensity, 2 x area / perimeter (a stroke of
   * length L and width W has area L W and perimeter about 2 L).
   */
  static double strokeWidth(float[] img, int w, int h) {
    int area = 0;
    int perimeter = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean in = img[y * w + x] > 0.5f;
        if (!in) {
          continue;
        }
        area++;
        if (x == 0 || img[y * w + x - 1] <= 0.5f) {
          perimeter++;
        }
        if (x == w - 1 || img[y * w + x + 1] <= 0.5f) {
          perimeter++;
        }
        if (y == 0 || img[(y - 1) * w + x] <= 0.5f) {
          perimeter++;
        }
        if (y == h - 1 || img[(y + 1) * w + x] <= 0.5f) {
          perimeter++;
        }
      }
    }
    return perimeter == 0 ? 0 : 2.0 * area / perimeter;
  }

  /** Small image filters on float planes. */
  static final class Filters {

    private Filters() {}

    /** Sliding max (or min) over a (2r+1) square window, separable, O(1) per pixel. */
    static float[] slidingExtreme(float[] src, int w, int h, int r, boolean max) {
      float[] rows = new float[src.length];
      int[] dq = new int[Math.max(w, h)];
      for (int y = 0; y < h; y++) {
        line(src, rows, y * w, 1, w, r, max, dq);
      }
      float[] out = new float[src.length];
      for (int x = 0; x < w; x++) {
        line(rows, out, x, w, h, r, max, dq);
      }
      return out;
    }

    /** A monotonic deque of indices over one line (the sign flip makes min a max). */
    private static void line(float[] in, float[] out, int start, int step, int n, int r,
        boolean max, int[] dq) {
      float sign = max ? 1f : -1f;
      int head = 0;
      int tail = 0;
      int next = 0;
      for (int i = 0; i < n; i++) {
        int hiEnd = Math.min(n - 1, i + r);
        while (next <= hiEnd) {
          float v = sign * in[start + next * step];
          while (tail > head && sign * in[start + dq[tail - 1] * step] <= v) {
            tail--;
          }
          dq[tail++] = next++;
        }
        while (dq[head] < i - r) {
          head++;
        }
        out[start + i * step] = in[start + dq[head] * step];
      }
    }

    /** The [1 2 1] / 4 kernel along both axes (edges repeat). */
    static float[] binomialBlur(float[] src, int w, int h) {
      float[] rows = new float[src.length];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = y * w + x;
          rows[i] = 0.25f * src[x > 0 ? i - 1 : i] + 0.5f * src[i]
              + 0.25f * src[x < w - 1 ? i + 1 : i];
        }
      }
      float[] out = new float[src.length];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = y * w + x;
          out[i] = 0.25f * rows[y > 0 ? i - w : i] + 0.5f * rows[i]
              + 0.25f * rows[y < h - 1 ? i + w : i];
        }
      }
      return out;
    }

    /** Mean over a (2r+1) square window (clamped at the edges), separable. */
    static float[] boxBlur(float[] src, int w, int h, int r) {
      float[] rows = new float[src.length];
      double[] prefix = new double[Math.max(w, h) + 1];
      for (int y = 0; y < h; y++) {
        blurLine(src, rows, y * w, 1, w, r, prefix);
      }
      float[] out = new float[src.length];
      for (int x = 0; x < w; x++) {
        blurLine(rows, out, x, w, h, r, prefix);
      }
      return out;
    }

    private static void blurLine(float[] in, float[] out, int start, int step, int n, int r,
        double[] prefix) {
      for (int i = 0; i < n; i++) {
        prefix[i + 1] = prefix[i] + in[start + i * step];
      }
      for (int i = 0; i < n; i++) {
        int a = Math.max(0, i - r);
        int b = Math.min(n - 1, i + r);
        out[start + i * step] = (float) ((prefix[b + 1] - prefix[a]) / (b - a + 1));
      }
    }

    /** Otsu's threshold of values in [0, 1] (256 bins). */
    static float otsu(float[] v) {
      int[] hist = new int[256];
      for (float x : v) {
        hist[Math.min(255, Math.max(0, (int) (x * 255)))]++;
      }
      long total = v.length;
      double sumAll = 0;
      for (int i = 0; i < 256; i++) {
        sumAll += (double) i * hist[i];
      }
      double sumB = 0;
      long wB = 0;
      double best = -1;
      int bestT = 0;
      for (int t = 0; t < 256; t++) {
        wB += hist[t];
        if (wB == 0) {
          continue;
        }
        long wF = total - wB;
        if (wF == 0) {
          break;
        }
        sumB += (double) t * hist[t];
        double mB = sumB / wB;
        double mF = (sumAll - sumB) / wF;
        double between = (double) wB * wF * (mB - mF) * (mB - mF);
        if (between > best) {
          best = between;
          bestT = t;
        }
      }
      return (bestT + 0.5f) / 255f;
    }

    /** 8-connected components; fills {@code labels}, returns the area of each label. */
    static int[] components(boolean[] mask, int w, int h, int[] labels) {
      Arrays.fill(labels, 0);
      int[] areas = new int[16];
      int next = 1;
      int[] stack = new int[mask.length];
      for (int i = 0; i < mask.length; i++) {
        if (!mask[i] || labels[i] != 0) {
          continue;
        }
        if (next >= areas.length) {
          areas = Arrays.copyOf(areas, areas.length * 2);
        }
        int top = 0;
        stack[top++] = i;
        labels[i] = next;
        int area = 0;
        while (top > 0) {
          int p = stack[--top];
          area++;
          int px = p % w;
          int py = p / w;
          for (int dy = -1; dy <= 1; dy++) {
            int ny = py + dy;
            if (ny < 0 || ny >= h) {
              continue;
            }
            for (int dx = -1; dx <= 1; dx++) {
              int nx = px + dx;
              if (nx < 0 || nx >= w) {
                continue;
              }
              int q = ny * w + nx;
              if (mask[q] && labels[q] == 0) {
                labels[q] = next;
                stack[top++] = q;
              }
            }
          }
        }
        areas[next++] = area;
      }
      return Arrays.copyOf(areas, next);
    }

    /**
     * The mask grown into its 8-connected neighbours whose value exceeds {@code low}
     * (hysteresis), and by one pixel beyond.
     */
    static boolean[] grow(boolean[] mask, float[] v, float low, int w, int h) {
      boolean[] out = mask.clone();
      int[] stack = new int[mask.length];
      int top = 0;
      for (int i = 0; i < mask.length; i++) {
        if (mask[i]) {
          stack[top++] = i;
        }
      }
      while (top > 0) {
        int p = stack[--top];
        int px = p % w;
        int py = p / w;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = px + dx;
            int ny = py + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
              continue;
            }
            int q = ny * w + nx;
            if (!out[q] && v[q] > low) {
              out[q] = true;
              stack[top++] = q;
            }
          }
        }
      }
      return dilate(out, w, h);
    }

    /** The longer side of the bounding box of the component with the largest area. */
    static int largestExtent(int[] labels, int[] areas, int w, int h) {
      int best = 0;
      for (int l = 1; l < areas.length; l++) {
        if (areas[l] > areas[best]) {
          best = l;
        }
      }
      if (best == 0) {
        return 0;
      }
      final int label = best;
      int[] box = bbox(w, h, i -> labels[i] == label);
      return Math.max(box[2] - box[0] + 1, box[3] - box[1] + 1);
    }

    /** {x0, y0, x1, y1} of the pixels (row-major index) where {@code in} holds; null if none. */
    static int[] bbox(int w, int h, java.util.function.IntPredicate in) {
      int x0 = w;
      int y0 = h;
      int x1 = -1;
      int y1 = -1;
      for (int i = 0; i < w * h; i++) {
        if (in.test(i)) {
          int x = i % w;
          int y = i / w;
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
      return x1 < 0 ? null : new int[] {x0, y0, x1, y1};
    }

    /** The mask grown by one pixel (8-neighbourhood). */
    static boolean[] dilate(boolean[] mask, int w, int h) {
      boolean[] out = new boolean[mask.length];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          if (!mask[y * w + x]) {
            continue;
          }
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int nx = x + dx;
              int ny = y + dy;
              if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                out[ny * w + nx] = true;
              }
            }
          }
        }
      }
      return out;
    }

    private static final int BINS = 4096;

    /** The {@code q} quantile (to 1/4096) of the values in [0,1] where {@code mask} is true. */
    static float percentile(float[] v, boolean[] mask, float q) {
      int[] hist = new int[BINS];
      int n = 0;
      for (int i = 0; i < v.length; i++) {
        if (mask[i]) {
          hist[bin(v[i])]++;
          n++;
        }
      }
      return quantile(hist, n, q);
    }

    private static int bin(float x) {
      return Math.min(BINS - 1, Math.max(0, (int) (x * BINS)));
    }

    private static float quantile(int[] hist, int n, float q) {
      long target = Math.min(n - 1, (long) (q * n));
      long seen = 0;
      for (int b = 0; b < BINS; b++) {
        seen += hist[b];
        if (seen > target) {
          return (b + 0.5f) / BINS;
        }
      }
      return 1f;
    }

    static float median(float[] v) {
      int[] hist = new int[BINS];
      for (float x : v) {
        hist[bin(x)]++;
      }
      return quantile(hist, v.length, 0.5f);
    }

    /** 1.4826 x the median absolute deviation of the values (in [0,1]) outside the mask. */
    static double robustSigma(float[] v, boolean[] mask) {
      int[] hist = new int[BINS];
      int n = 0;
      for (int i = 0; i < v.length; i++) {
        if (!mask[i]) {
          hist[bin(v[i])]++;
          n++;
        }
      }
      if (n == 0) {
        return 0;
      }
      float med = quantile(hist, n, 0.5f);
      int[] dev = new int[BINS];
      for (int i = 0; i < v.length; i++) {
        if (!mask[i]) {
          dev[bin(Math.abs(v[i] - med))]++;
        }
      }
      return 1.4826 * quantile(dev, n, 0.5f);
    }
  }
}
