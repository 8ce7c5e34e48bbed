package org.tfmnist.predict;

/**
 * The answer for one input: the digit, its probability and the three most probable digits; or the
 * one-line error that input got. {@code label} is the true digit where the input knows it (data-set
 * files), else -1.
 */
public record Prediction(
    String name, int digit, float probability, int[] top, float[] topP, int label, String error) {

  public boolean ok() {
    return error == null;
  }

  static Prediction failed(String name, String error) {
    return new Prediction(name, -1, Float.NaN, new int[0], new float[0], -1, error);
  }

  static Prediction of(String name, float[] p, int label) {
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < p.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
    int k = Math.min(3, p.length);
    int[] top = new int[k];
    float[] topP = new float[k];
    for (int i = 0; i < k; i++) {
      top[i] = order[i];
      topP[i] = p[order[i]];
    }
    return new Prediction(name, top[0], topP[0], top, topP, label, null);
  }
}
