package org.tfmnist.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One preset's runs in the order they ran (Java, Keras, Java, Keras, ... as {@code make bench}
 * interleaves them), and the ratio of each pair of neighbours. On a machine whose speed drifts, a
 * side that always runs first or second would carry the drift into the ratio; with both orders
 * measured, the Java-then-Keras and the Keras-then-Java ratios bracket it.
 */
record Interleaved(String preset, List<BenchRun> runs) {

  static final String JAVA = "java";
  static final String KERAS = "keras";

  /** Two neighbouring runs of different sides. */
  record Pair(BenchRun first, BenchRun second) {

    boolean javaFirst() {
      return first.side().equals(JAVA);
    }

    BenchRun java() {
      return javaFirst() ? first : second;
    }

    BenchRun keras() {
      return javaFirst() ? second : first;
    }

    /** Java's median epoch over Keras' (below 1: Java is faster). */
    double epochRatio() {
      return java().epochSeconds() / keras().epochSeconds();
    }

    /** Java's median inference images/s over Keras' (above 1: Java is faster). */
    double inferenceRatio() {
      return java().inferenceRate() / keras().inferenceRate();
    }
  }

  /**
   * {@code runs} (all of one preset) in the order they started; where a file does not say when
   * (older versions), in the order given.
   */
  static Interleaved of(String preset, List<BenchRun> runs) {
    List<BenchRun> ordered = new ArrayList<>(runs);
    if (ordered.stream().noneMatch(r -> Double.isNaN(r.started()))) {
      ordered.sort(Comparator.comparingDouble(BenchRun::started)); // stable: ties keep order
    }
    return new Interleaved(preset, List.copyOf(ordered));
  }

  /** The runs of one side, in order. */
  List<BenchRun> side(String side) {
    return runs.stream().filter(r -> r.side().equals(side)).toList();
  }

  /** Every pair of neighbouring runs of which one is Java's and the other Keras'. */
  List<Pair> pairs() {
    List<Pair> out = new ArrayList<>();
    for (int i = 1; i < runs.size(); i++) {
      Pair p = new Pair(runs.get(i - 1), runs.get(i));
      if (isSide(p.first()) && isSide(p.second()) && !p.first().side().equals(p.second().side())) {
        out.add(p);
      }
    }
    return out;
  }

  /** The pairs run in one order: Java then Keras, or Keras then Java. */
  List<Pair> pairs(boolean javaFirst) {
    return pairs().stream().filter(p -> p.javaFirst() == javaFirst).toList();
  }

  private static boolean isSide(BenchRun r) {
    return r.side().equals(JAVA) || r.side().equals(KERAS);
  }

  /** Every epoch after each run's first of one side's runs, pooled. */
  List<Double> epochs(String side) {
    List<Double> all = new ArrayList<>();
    side(side).forEach(r -> all.addAll(r.epochsAfterWarmUp()));
    return all;
  }

  /** Every timed inference run's images/s of one side's runs, pooled. */
  List<Double> inferenceRates(String side) {
    List<Double> all = new ArrayList<>();
    side(side).forEach(r -> all.addAll(r.inferenceRates()));
    return all;
  }

  /** Java's median epoch over Keras', each over all their runs' epochs after the first. */
  double epochRatio() {
    return Spread.median(epochs(JAVA)) / Spread.median(epochs(KERAS));
  }

  /** Java's median inference images/s over Keras', over all their timed runs. */
  double inferenceRatio() {
    return Spread.median(inferenceRates(JAVA)) / Spread.median(inferenceRates(KERAS));
  }

  /** Whether both sides ran. */
  boolean bothSides() {
    return !side(JAVA).isEmpty() && !side(KERAS).isEmpty();
  }
}
