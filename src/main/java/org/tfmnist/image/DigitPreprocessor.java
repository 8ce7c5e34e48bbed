package org.tfmnist.image;

import java.awt.image.BufferedImage;

/**
 * Turns a picture of a handwritten digit into what MNIST's digits are: 28x28, white ink on black,
 * the digit scaled so its longer side is 20 pixels (anti-aliased, aspect ratio kept) and placed so
 * its centre of mass is at the centre (pixel 14, 14), values in [0, 1].
 *
 * <ol>
 *   <li>Large pictures are first shrunk (area averaging) so the longer side is at most 560 px.
 *   <li>Transparency is flattened onto the colour that contrasts with the opaque pixels.
 *   <li>The paper is found from the picture's border: light paper means dark ink (the usual photo
 *       or scan), dark paper means light ink (MNIST-like drawings).
 *   <li>Ink is measured against the <em>local</em> paper colour (a morphological closing wider than
 *       any stroke, then smoothed), so shading, coloured paper and coloured ink all give the same
 *       ink map: how much each pixel departs from the paper around it.
 *   <li>On a lightly blurred ink map, Otsu's threshold (never below four times the paper's noise)
 *       gives the stroke mask; connected pieces much smaller than the largest (specks, paper
 *       texture) are dropped; no ink well above the paper's noise is an error ("blank").
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

  public static final int SIZE = org.tfmnist.data.Mnist.SIDE;
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
    float[][] rgb = Planes.toRgb(img);
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
    float[] lum = Planes.luminance(rgb);
    if (w == SIZE && h == SIZE && isMnistLike(lum)) {
      return new Result(lum, true, false);
    }
    boolean darkInk = Planes.borderMedian(lum, w, h) >= 0.5f;
    float[] ink = inkMap(rgb, w, h, darkInk);
    float[] digit = strokes(ink, w, h);
    return new Result(toMnist(digit, w, h), false, darkInk);
  }

  // ---------------------------------------------------------------- colour and paper

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
      float[] p = PlaneFilters.slidingExtreme(small, sw, sh, radius, darkInk);
      p = PlaneFilters.slidingExtreme(p, sw, sh, radius, !darkInk);
      p = PlaneFilters.boxBlur(p, sw, sh, radius);
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
    float[] ink = PlaneFilters.binomialBlur(rawInk, w, h);
    // the paper reads as a little ink (the local-paper estimate sits on the grain's peaks):
    // measure ink from the paper's typical level, and know the paper's noise
    float paperLevel = InkLevels.median(ink);
    double paperNoise = InkLevels.robustSigma(ink, new boolean[ink.length]);
    float[] kept = new float[ink.length];
    for (int i = 0; i < ink.length; i++) {
      ink[i] = Math.max(0f, ink[i] - paperLevel);
      kept[i] = Math.max(0f, rawInk[i] - paperLevel);
    }
    // Otsu's threshold, but never inside the paper's own noise: with a small digit on a large
    // grainy page Otsu alone splits the noise, whose specks then join into one big "stroke"
    float t = (float) Math.max(Math.max(Binarize.otsu(ink), 4 * paperNoise), 0.02);
    boolean[] mask = new boolean[ink.length];
    for (int i = 0; i < ink.length; i++) {
      mask[i] = ink[i] > t;
    }
    int[] labels = new int[ink.length];
    int[] areas = Binarize.components(mask, w, h, labels);
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
    float strokeLevel = inkN == 0 ? 0 : InkLevels.percentile(ink, mask, 0.9f);
    int extent = Binarize.largestExtent(labels, areas, w, h);
    if (largest < 6 || extent < Math.max(5, 0.06 * Math.min(w, h))) {
      throw new NoDigitException(
          String.format(
              java.util.Locale.ROOT,
              "no ink found (a blank picture? the largest mark is %d px across)",
              extent));
    }
    if (strokeLevel < Math.max(0.06, 6 * paperNoise)) {
      throw new NoDigitException(
          String.format(
              java.util.Locale.ROOT,
              "no ink found (a blank picture? the darkest marks differ from the paper by %.0f %%, "
                  + "the paper's own noise is %.1f %%)",
              100 * strokeLevel,
              100 * paperNoise));
    }
    // strokes reach 1 (as MNIST's do) however faint the pen; the anti-aliased fringe around
    // them (fainter ink connected to the strokes: hysteresis) keeps its grey levels and counts
    // in the bounding box, as in MNIST, where the 20-px box holds the grey edges too
    float hi = Math.max(InkLevels.percentile(kept, mask, 0.9f), 1e-3f);
    boolean[] edge = Binarize.grow(mask, ink, (float) Math.max(t / 3, 3 * paperNoise), w, h);
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
    int[] box = Binarize.bbox(w, h, i -> digit[i] > 0);
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
      crop = PlaneFilters.slidingExtreme(padded, pw, ph, r, true);
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
}
