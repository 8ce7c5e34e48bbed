package org.tfmnist.image;

/**
 * Anti-aliased resizing of a float plane, one axis at a time: shrinking integrates each target
 * pixel's footprint exactly (area averaging, like PIL's BOX / OpenCV's INTER_AREA), growing
 * interpolates linearly between pixel centres. The weights of each axis are computed once; the
 * vertical pass runs over whole rows, so both passes read memory in order.
 */
final class Resample {

  private Resample() {}

  /** For each output index: the first input index and the weights of the inputs from it. */
  private record Weights(int[] first, float[][] w) {}

  static float[] resize(float[] src, int sw, int sh, int tw, int th) {
    Weights wx = weights(sw, tw);
    Weights wy = weights(sh, th);
    float[] rows = new float[tw * sh];
    for (int y = 0; y < sh; y++) {
      int in = y * sw;
      int out = y * tw;
      for (int j = 0; j < tw; j++) {
        float[] w = wx.w()[j];
        int i0 = in + wx.first()[j];
        float sum = 0;
        for (int k = 0; k < w.length; k++) {
          sum += w[k] * src[i0 + k];
        }
        rows[out + j] = sum;
      }
    }
    float[] out = new float[tw * th];
    for (int j = 0; j < th; j++) {
      float[] w = wy.w()[j];
      int o = j * tw;
      for (int k = 0; k < w.length; k++) {
        float wk = w[k];
        int r = (wy.first()[j] + k) * tw;
        for (int x = 0; x < tw; x++) {
          out[o + x] += wk * rows[r + x];
        }
      }
    }
    return out;
  }

  private static Weights weights(int n, int m) {
    int[] first = new int[m];
    float[][] w = new float[m][];
    double scale = (double) n / m;
    for (int j = 0; j < m; j++) {
      if (m == n) {
        first[j] = j;
        w[j] = new float[] {1f};
      } else if (m < n) {
        double a = j * scale;
        double b = a + scale;
        int i0 = (int) Math.floor(a);
        int i1 = Math.min(n, (int) Math.ceil(b));
        first[j] = i0;
        w[j] = new float[i1 - i0];
        for (int i = i0; i < i1; i++) {
          w[j][i - i0] = (float) (Math.max(0, Math.min(b, i + 1) - Math.max(a, i)) / scale);
        }
      } else {
        double s = (j + 0.5) * scale - 0.5;
        int i0 = (int) Math.floor(s);
        float f = (float) (s - i0);
        int a = Math.max(0, Math.min(n - 1, i0));
        int b = Math.max(0, Math.min(n - 1, i0 + 1));
        first[j] = a;
        w[j] = b == a ? new float[] {1f} : new float[] {1 - f, f};
      }
    }
    return new Weights(first, w);
  }
}
