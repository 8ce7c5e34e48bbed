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

  /** TF Java under {@code mixed_bfloat16}, paired with {@link #JAVA} (float32). */
  static final String JAVA_BF16 = "java-bf16";

  /**
   * Two neighbouring runs of the two sides compared, the other sides' runs between them skipped;
   * {@code numerator} is the side whose time is divided by the other's.
   */
  record Pair(BenchRun first, BenchRun second, String numerator) {

    boolean numeratorFirst() {
      return first.side().equals(numerator);
    }

    BenchRun top() {
      return numeratorFirst() ? first : second;
    }

    BenchRun bottom() {
      return numeratorFirst() ? second : first;
    }

    /** The numerator's median epoch over the other's (below 1: the numerator is faster). */
    double epochRatio() {
      return top().epochSeconds() / bottom().epochSeconds();
    }

    /** The numerator's median inference images/s over the other's (above 1: it is faster). */
    double inferenceRatio() {
      return top().inferenceRate() / bottom().inferenceRate();
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

  /**
   * Every pair of runs of sides {@code numerator} and {@code other} that follow each other once the
   * other sides' runs are skipped: {@code make bench} runs Java, Keras and Java under bfloat16 in
   * turn, and each comparison takes its own two sides' alternation.
   */
  List<Pair> pairs(String numerator, String other) {
    List<BenchRun> two =
        runs.stream().filter(r -> r.side().equals(numerator) || r.side().equals(other)).toList();
    List<Pair> out = new ArrayList<>();
    for (int i = 1; i < two.size(); i++) {
      if (!two.get(i - 1).side().equals(two.get(i).side())) {
        out.add(new Pair(two.get(i - 1), two.get(i), numerator));
      }
    }
    return out;
  }

  /**
   * The pairs of {@link #pairs(String, String)} run in one order: {@code numerator}'s run first
   * (Java then Keras, bfloat16 then float32), or the other's.
   */
  List<Pair> pairs(String numerator, String other, boolean numeratorFirst) {
    return pairs(numerator, other).stream()
        .filter(p -> p.numeratorFirst() == numeratorFirst)
        .toList();
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

  /** Java's median epoch under mixed_bfloat16 over its median float32 epoch. */
  double bf16EpochRatio() {
    return Spread.median(epochs(JAVA_BF16)) / Spread.median(epochs(JAVA));
  }

  /** Whether both sides ran. */
  boolean bothSides() {
    return !side(JAVA).isEmpty() && !side(KERAS).isEmpty();
  }

  /** Whether Java ran in both precisions. */
  boolean bothPrecisions() {
    return !side(JAVA).isEmpty() && !side(JAVA_BF16).isEmpty();
  }
}
