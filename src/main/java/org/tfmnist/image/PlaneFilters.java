package org.tfmnist.image;

/**
 * Filters on a float image plane (row-major, {@code w} x {@code h}) that give back a plane of the
 * same size: the sliding maximum and minimum of grey-level morphology, and the [1 2 1] and box
 * blurs. The digit preprocessing uses them to estimate the paper and to thicken a fine pen's
 * strokes; the photo renderer uses them to thin and soften strokes.
 */
final class PlaneFilters {

  private PlaneFilters() {}

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
  private static void line(
      float[] in, float[] out, int start, int step, int n, int r, boolean max, int[] dq) {
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
        rows[i] =
            0.25f * src[x > 0 ? i - 1 : i] + 0.5f * src[i] + 0.25f * src[x < w - 1 ? i + 1 : i];
      }
    }
    float[] out = new float[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        out[i] =
            0.25f * rows[y > 0 ? i - w : i] + 0.5f * rows[i] + 0.25f * rows[y < h - 1 ? i + w : i];
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

  private static void blurLine(
      float[] in, float[] out, int start, int step, int n, int r, double[] prefix) {
    for (int i = 0; i < n; i++) {
      prefix[i + 1] = prefix[i] + in[start + i * step];
    }
    for (int i = 0; i < n; i++) {
      int a = Math.max(0, i - r);
      int b = Math.min(n - 1, i + r);
      out[start + i * step] = (float) ((prefix[b + 1] - prefix[a]) / (b - a + 1));
    }
  }
}
