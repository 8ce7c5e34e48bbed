package org.tfmnist.image;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Turns an ink map (a float plane, row-major, values in [0, 1]) into a binary stroke mask and
 * measures it: Otsu's threshold, 8-connected components, hysteresis growth into fainter ink,
 * dilation, and bounding boxes ({@link InkLevels} gives the levels the thresholds are set from).
 * The digit preprocessing calls these in its stroke-finding step.
 */
final class Binarize {

  private Binarize() {}

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
   * The mask grown into its 8-connected neighbours whose value exceeds {@code low} (hysteresis),
   * and by one pixel beyond.
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

  /** The mask grown by one pixel (8-neighbourhood). */
  private static boolean[] dilate(boolean[] mask, int w, int h) {
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
  static int[] bbox(int w, int h, IntPredicate in) {
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
}
