package org.tfmnist.image;

/**
 * Histogram statistics of ink levels in [0, 1] (4,096 bins): quantiles, the median and the robust
 * noise level, from which the digit preprocessing sets its thresholds.
 */
final class InkLevels {

  private InkLevels() {}

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
}
