package org.tfmnist.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How a set of timings spreads: least, quartiles, median and most. On a shared machine one figure
 * says little; the median with its spread says how far the weather moved it.
 */
record Spread(int count, double min, double q1, double median, double q3, double max) {

  /** The spread of {@code values} (at least one); quartiles interpolate as NumPy's default does. */
  static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    List<Double> v = new ArrayList<>(values);
    v.sort(Double::compare);
    return new Spread(
        v.size(),
        v.get(0),
        quantile(v, 0.25),
        quantile(v, 0.5),
        quantile(v, 0.75),
        v.get(v.size() - 1));
  }

  /** The median of {@code values} (at least one); leaves them as they are. */
  static double median(List<Double> values) {
    return of(values).median();
  }

  /** The {@code p} quantile of sorted {@code v}, linear between the two nearest ranks. */
  private static double quantile(List<Double> v, double p) {
    double rank = p * (v.size() - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return v.get(lo) + (rank - lo) * (v.get(hi) - v.get(lo));
  }
}
