package org.tfmnist.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tfmnist.data.JsonFile;
import org.tfmnist.util.CpuInfo;

/**
 * One run of one side (TF Java or Keras) on one preset, read from the result file {@code tf-mnist
 * bench --json} or {@code bench_keras.py --json} wrote.
 *
 * @param side {@code java} or {@code keras}; a run under {@code mixed_bfloat16} is a side of its
 *     own ({@code java-bf16}), so that its epochs are never pooled with float32's
 * @param started when the run began (seconds since 1970; NaN in files of older versions): orders
 *     the runs of an interleaved bench
 * @param inferenceBatch images per session run / predict batch (0: not recorded)
 * @param cpu the CPU it ran on (null: not recorded)
 */
record BenchRun(
    String side,
    String preset,
    String runtime,
    List<Double> epochTimes,
    double accuracy,
    List<Double> inferenceTimes,
    int inferenceImages,
    int inferenceBatch,
    long peakRss,
    double floorEpochSeconds,
    double started,
    CpuInfo cpu) {

  static final String WHAT = "a result file of tf-mnist bench or bench_keras.py";

  /** The epoch times without the first (warm-up) one, when there are more. */
  List<Double> epochsAfterWarmUp() {
    return afterWarmUp(epochTimes);
  }

  /** A copy of {@code epochTimes} without the first (warm-up) one, when there are more. */
  static List<Double> afterWarmUp(List<Double> epochTimes) {
    return new ArrayList<>(epochTimes.subList(epochTimes.size() > 1 ? 1 : 0, epochTimes.size()));
  }

  /** Median epoch time, the first (warm-up) epoch left out when there are more. */
  double epochSeconds() {
    return Spread.median(epochsAfterWarmUp());
  }

  /** Images a second of inference, one per timed run. */
  List<Double> inferenceRates() {
    return inferenceTimes.stream().map(t -> inferenceImages / t).toList();
  }

  /** Median images a second of inference over the timed runs. */
  double inferenceRate() {
    return Spread.median(inferenceRates());
  }

  /** One result file; whatever is wrong with it is one line naming the file. */
  static BenchRun read(Path file) {
    Map<String, Object> m = JsonFile.read(file, WHAT);
    try {
      return new BenchRun(
          side(text(m, "side"), m.get("dtype_policy")),
          text(m, "preset"),
          text(m, "runtime"),
          numbers(m, "epoch_seconds"),
          number(m, "test_accuracy").doubleValue(),
          numbers(m, "inference_seconds"),
          number(m, "inference_images").intValue(),
          m.get("inference_batch") instanceof Number n ? n.intValue() : 0,
          number(m, "peak_rss_bytes").longValue(),
          m.get("floor") instanceof Map<?, ?> f && f.get("epoch_seconds") instanceof Number n
              ? n.doubleValue()
              : Double.NaN,
          m.get("started_unix") instanceof Number n ? n.doubleValue() : Double.NaN,
          CpuInfo.fromJson(m.get("cpu")));
    } catch (IllegalArgumentException e) {
      throw JsonFile.lacks(file, WHAT, e.getMessage());
    }
  }

  private static String side(String side, Object dtypePolicy) {
    if (dtypePolicy == null || "float32".equals(dtypePolicy)) {
      return side;
    }
    return side + ("mixed_bfloat16".equals(dtypePolicy) ? "-bf16" : "-" + dtypePolicy);
  }

  private static String text(Map<String, Object> m, String key) {
    if (m.get(key) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("\"" + key + "\"");
  }

  private static Number number(Map<String, Object> m, String key) {
    if (m.get(key) instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException("number \"" + key + "\"");
  }

  /** A list of at least one positive number: medians and rates need one. */
  private static List<Double> numbers(Map<String, Object> m, String key) {
    List<Double> out = new ArrayList<>();
    if (m.get(key) instanceof List<?> l) {
      for (Object o : l) {
        if (!(o instanceof Number n) || !(n.doubleValue() > 0)) {
          throw new IllegalArgumentException("positive numbers in \"" + key + "\"");
        }
        out.add(n.doubleValue());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("list of numbers \"" + key + "\"");
    }
    return out;
  }
}
