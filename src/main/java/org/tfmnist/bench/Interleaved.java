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
   * The pairs of runs of sides {@code numerator} and {@code other} that follow each other once the
   * other sides' runs are skipped ({@code make bench} runs Java, Keras and Java under bfloat16 in
   * turn, and each comparison takes its own two sides' alternation), run in one order: {@code
   * numerator}'s run first (Java then Keras, bfloat16 then float32), or the other's.
   */
  List<Pair> pairs(String numerator, String other, boolean numeratorFirst) {
    List<BenchRun> two =
        runs.stream().filter(r -> r.side().equals(numerator) || r.side().equals(other)).toList();
    List<Pair> out = new ArrayList<>();
    for (int i = 1; i < two.size(); i++) {
      Pair p = new Pair(two.get(i - 1), two.get(i), numerator);
      if (!p.first().side().equals(p.second().side()) && p.numeratorFirst() == numeratorFirst) {
        out.add(p);
      }
    }
    return out;
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

  /** {@code numerator}'s median epoch over {@code other}'s, each over all their runs' epochs. */
  double epochRatio(String numerator, String other) {
    return Spread.median(epochs(numerator)) / Spread.median(epochs(other));
  }

  /** Java's median inference images/s over Keras', over all their timed runs. */
  double inferenceRatio() {
    return Spread.median(inferenceRates(JAVA)) / Spread.median(inferenceRates(KERAS));
  }

  /** Whether both sides ran. */
  boolean ran(String side, String other) {
    return !side(side).isEmpty() && !side(other).isEmpty();
  }
}
