package org.tfmnist.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tfmnist.data.JsonFile;

/**
 * The benchmark table: for each preset, TF Java and (when it ran) Keras side by side, and the ratio
 * Java/Keras of the epoch time and of the inference time (below 1: Java is faster).
 */
public final class BenchReport {

  private BenchReport() {}

  /** One side's figures, from its JSON file. */
  record Side(
      String side,
      String preset,
      String runtime,
      int batch,
      int images,
      List<Double> epochTimes,
      double accuracy,
      List<Double> inferenceTimes,
      int inferenceImages,
      long peakRss,
      double floorEpochSeconds) {

    /** The fastest epoch after the first (Keras' CNN epochs here are bimodal). */
    double fastestEpoch() {
      return afterWarmUp(epochTimes).stream()
          .mapToDouble(Double::doubleValue)
          .min()
          .orElse(Double.NaN);
    }

    /** Median epoch time, the first (warm-up) epoch left out when there are more. */
    double epochSeconds() {
      return median(afterWarmUp(epochTimes));
    }

    double inferenceSeconds() {
      return median(new ArrayList<>(inferenceTimes));
    }
  }

  /** A copy of the epoch times without the first (warm-up) one, when there are more. */
  static List<Double> afterWarmUp(List<Double> epochTimes) {
    return new ArrayList<>(epochTimes.subList(epochTimes.size() > 1 ? 1 : 0, epochTimes.size()));
  }

  /** The median; sorts {@code v}. */
  static double median(List<Double> v) {
    v.sort(Double::compare);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  private static final String WHAT = "a result file of tf-mnist bench or bench_keras.py";

  /** One result file; whatever is wrong with it is one line naming the file. */
  static Side read(Path file) {
    Map<String, Object> m = JsonFile.read(file, WHAT);
    try {
      return new Side(
          text(m, "side"),
          text(m, "preset"),
          text(m, "runtime"),
          number(m, "batch_size").intValue(),
          number(m, "train_images").intValue(),
          numbers(m, "epoch_seconds"),
          number(m, "test_accuracy").doubleValue(),
          numbers(m, "inference_seconds"),
          number(m, "inference_images").intValue(),
          number(m, "peak_rss_bytes").longValue(),
          m.get("floor") instanceof Map<?, ?> f && f.get("epoch_seconds") instanceof Number n
              ? n.doubleValue()
              : Double.NaN);
    } catch (IllegalArgumentException e) {
      throw JsonFile.lacks(file, WHAT, e.getMessage());
    }
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

  /** A list of at least one number: the medians below need one. */
  private static List<Double> numbers(Map<String, Object> m, String key) {
    List<Double> out = new ArrayList<>();
    if (m.get(key) instanceof List<?> l) {
      for (Object o : l) {
        if (!(o instanceof Number n)) {
          throw new IllegalArgumentException("numbers in \"" + key + "\"");
        }
        out.add(n.doubleValue());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("list of numbers \"" + key + "\"");
    }
    return out;
  }

  /** The table for the given result files (java and keras files of the same presets). */
  public static String render(List<Path> files) {
    Map<String, Map<String, Side>> byPreset = new LinkedHashMap<>();
    for (Path f : files) {
      Side s = read(f);
      byPreset.computeIfAbsent(s.preset(), k -> new LinkedHashMap<>()).put(s.side(), s);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-7s %-6s %7s %9s %10s %9s %10s %9s  %s%n",
            "preset",
            "side",
            "epochs",
            "s/epoch",
            "images/s",
            "test acc",
            "infer/s",
            "peak RSS",
            "runtime"));
    List<String> ratios = new ArrayList<>();
    for (Map.Entry<String, Map<String, Side>> e : byPreset.entrySet()) {
      for (Side s : e.getValue().values()) {
        double epoch = s.epochSeconds();
        sb.append(
            String.format(
                Locale.ROOT,
                "%-7s %-6s %7d %9.2f %,10.0f %9.4f %,10.0f %7.0f MB  %s%n",
                s.preset(),
                s.side(),
                s.epochTimes().size(),
                epoch,
                s.images() / epoch,
                s.accuracy(),
                s.inferenceImages() / s.inferenceSeconds(),
                s.peakRss() / 1e6,
                s.runtime()));
      }
      Side j = e.getValue().get("java");
      Side k = e.getValue().get("keras");
      if (j != null && !Double.isNaN(j.floorEpochSeconds())) {
        ratios.add(
            String.format(
                Locale.ROOT,
                "%s: Java's epoch is %.2f x its kernel floor (%.1f s: the step's heavy ops alone, "
                    + "see bench --floor)",
                e.getKey(),
                j.epochSeconds() / j.floorEpochSeconds(),
                j.floorEpochSeconds()));
      }
      if (j != null && k != null) {
        ratios.add(
            String.format(
                Locale.ROOT,
                "%s: Java's median epoch / Keras' fastest %.2f (%.2f s vs %.2f s)",
                e.getKey(),
                j.epochSeconds() / k.fastestEpoch(),
                j.epochSeconds(),
                k.fastestEpoch()));
        ratios.add(
            String.format(
                Locale.ROOT,
                "%s: Java/Keras epoch time %.2f (%s), inference time %.2f, accuracy %.4f vs %.4f",
                e.getKey(),
                j.epochSeconds() / k.epochSeconds(),
                j.epochSeconds() <= k.epochSeconds() ? "Java faster" : "Keras faster",
                j.inferenceSeconds() / k.inferenceSeconds(),
                j.accuracy(),
                k.accuracy()));
      }
    }
    sb.append(
        "\ns/epoch: median over the epochs after the first (warm-up); an epoch includes its "
            + "validation on the 10,000 test images.\n");
    sb.append(
        "infer/s: the 10,000 test images through the SavedModel / model.predict, 1,000 per "
            + "batch, median of 3.\n");
    if (ratios.isEmpty()) {
      sb.append(
          "\nNo Keras results: run `make bench` where Python and tensorflow-cpu 2.21 can be "
              + "installed (.venv) to compare.\n");
    } else {
      sb.append('\n');
      ratios.forEach(r -> sb.append(r).append('\n'));
    }
    return sb.toString();
  }
}
