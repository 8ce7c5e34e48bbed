package org.tfmnist.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The benchmark report of a set of result files: the CPU they ran on; for each preset and side (TF
 * Java, Keras) the median epoch after each run's first with its spread, and inference's best and
 * median images/s; and the ratios Java/Keras, overall and by the order of each interleaved pair
 * (and, where Java also ran under {@code mixed_bfloat16}, bfloat16/float32 the same way). As text,
 * and as the JSON {@code bench --report --json} writes.
 */
public final class BenchReport {

  /** Two sides compared, and the JSON keys of their two orders. */
  private record Comparison(String numerator, String other, String firstKey, String secondKey) {

    boolean ran(Interleaved p) {
      return p.ran(numerator, other);
    }

    double epochRatio(Interleaved p) {
      return p.epochRatio(numerator, other);
    }

    List<Interleaved.Pair> pairs(Interleaved p, boolean numeratorFirst) {
      return p.pairs(numerator, other, numeratorFirst);
    }
  }

  private static final Comparison JAVA_KERAS =
      new Comparison(Interleaved.JAVA, Interleaved.KERAS, "java_then_keras", "keras_then_java");
  private static final Comparison BF16_FLOAT32 =
      new Comparison(
          Interleaved.JAVA_BF16, Interleaved.JAVA, "bf16_then_float32", "float32_then_bf16");

  private final List<Interleaved> presets;
  private final Set<String> cpus;

  private BenchReport(List<Interleaved> presets, Set<String> cpus) {
    this.presets = presets;
    this.cpus = cpus;
  }

  /** Reads the result files; whatever is wrong with one is one line naming the file. */
  public static BenchReport read(List<Path> files) {
    Map<String, List<BenchRun>> byPreset = new LinkedHashMap<>();
    Set<String> cpus = new LinkedHashSet<>();
    for (Path f : files) {
      BenchRun r = BenchRun.read(f);
      byPreset.computeIfAbsent(r.preset(), k -> new ArrayList<>()).add(r);
      if (r.cpu() != null) {
        cpus.add(r.cpu().label());
      }
    }
    List<Interleaved> presets = new ArrayList<>();
    byPreset.forEach((p, runs) -> presets.add(Interleaved.of(p, runs)));
    return new BenchReport(presets, cpus);
  }

  /** The CPU line: the one CPU all files name, or each of them (then the ratios mean little). */
  private String cpuLine() {
    if (cpus.isEmpty()) {
      return "CPU: not recorded in the result files";
    }
    if (cpus.size() == 1) {
      return "CPU: " + cpus.iterator().next();
    }
    return "CPUs differ between the result files, so the ratios compare different machines: "
        + String.join("; ", cpus);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String list(List<Interleaved.Pair> pairs, ToDoubleFunction<Interleaved.Pair> v) {
    return pairs.isEmpty()
        ? "none"
        : pairs.stream().map(p -> f("%.2f", v.applyAsDouble(p))).collect(Collectors.joining(", "));
  }

  /** The report as text. */
  public String text() {
    StringBuilder sb = new StringBuilder(cpuLine()).append("\n\n");
    sb.append(
        f(
            "%-7s %-9s %4s %6s %8s %15s %15s %9s %9s %8s %8s  %s%n",
            "preset",
            "side",
            "runs",
            "epochs",
            "s/epoch",
            "min-max",
            "IQR",
            "infer/s",
            "median",
            "test acc",
            "peak RSS",
            "runtime"));
    List<String> lines = new ArrayList<>();
    for (Interleaved p : presets) {
      for (String side : sides(p)) {
        List<BenchRun> runs = p.side(side);
        Spread e = Spread.of(p.epochs(side));
        Spread rate = Spread.of(p.inferenceRates(side));
        sb.append(
            f(
                "%-7s %-9s %4d %6d %8.2f %15s %15s %,9.0f %,9.0f %8.4f %5.0f MB  %s%n",
                p.preset(),
                side,
                runs.size(),
                e.count(),
                e.median(),
                f("%.2f-%.2f", e.min(), e.max()),
                f("%.2f-%.2f", e.q1(), e.q3()),
                rate.max(),
                rate.median(),
                runs.get(runs.size() - 1).accuracy(),
                runs.stream().mapToLong(BenchRun::peakRss).max().orElse(0) / 1e6,
                runs.get(0).runtime()));
      }
      lines.addAll(ratioLines(p));
    }
    sb.append(
        "\ns/epoch: median over every run's epochs after its first (warm-up), with their least and"
            + " most (min-max) and quartiles (IQR); an epoch includes its validation on the test"
            + " images.\n"
            + "infer/s: the test images through the SavedModel (Java) / model.predict (Keras),"
            + " batches of the same size, after one warm-up pass: the best and the median of the"
            + " timed passes.\n"
            + "Java then Keras / Keras then Java: the ratio of each pair of neighbouring runs in"
            + " the order they ran.\n");
    if (presets.stream().noneMatch(JAVA_KERAS::ran)) {
      sb.append(
          "\nNo Java and Keras results of one preset: run `make bench` where Python and "
              + "tensorflow-cpu 2.21 can be installed (.venv) to compare.\n");
    }
    if (!lines.isEmpty()) {
      sb.append('\n');
      lines.forEach(l -> sb.append(l).append('\n'));
    }
    return sb.toString();
  }

  private static List<String> sides(Interleaved p) {
    return p.runs().stream().map(BenchRun::side).distinct().sorted().toList();
  }

  private static List<String> ratioLines(Interleaved p) {
    List<String> out = new ArrayList<>();
    String name = p.preset();
    if (JAVA_KERAS.ran(p)) {
      double e = JAVA_KERAS.epochRatio(p);
      out.add(
          f(
              "%s: Java / Keras median epoch %.2f (%s); Java then Keras %s; Keras then Java %s",
              name,
              e,
              e <= 1 ? "Java faster" : "Keras faster",
              list(JAVA_KERAS.pairs(p, true), Interleaved.Pair::epochRatio),
              list(JAVA_KERAS.pairs(p, false), Interleaved.Pair::epochRatio)));
      out.add(
          f(
              "%s: Java / Keras inference images/s %.2f (medians); Java then Keras %s; "
                  + "Keras then Java %s",
              name,
              p.inferenceRatio(),
              list(JAVA_KERAS.pairs(p, true), Interleaved.Pair::inferenceRatio),
              list(JAVA_KERAS.pairs(p, false), Interleaved.Pair::inferenceRatio)));
      Set<Integer> batches = new LinkedHashSet<>();
      p.runs().forEach(r -> batches.add(r.inferenceBatch()));
      if (batches.size() > 1 || batches.contains(0)) {
        out.add(
            f(
                "%s: inference batch sizes differ or were not recorded (%s): the inference "
                    + "ratio is not like for like",
                name, batches));
      }
    }
    if (BF16_FLOAT32.ran(p)) {
      out.add(
          f(
              "%s: Java mixed_bfloat16 / float32 median epoch %.2f; bfloat16 then float32 %s;"
                  + " float32 then bfloat16 %s; test accuracy, run by run: %s against %s",
              name,
              BF16_FLOAT32.epochRatio(p),
              list(BF16_FLOAT32.pairs(p, true), Interleaved.Pair::epochRatio),
              list(BF16_FLOAT32.pairs(p, false), Interleaved.Pair::epochRatio),
              accuracies(p.side(Interleaved.JAVA_BF16)),
              accuracies(p.side(Interleaved.JAVA))));
    }
    List<BenchRun> java = p.side(Interleaved.JAVA);
    List<Double> floors =
        java.stream()
            .map(BenchRun::floorEpochSeconds)
            .filter(x -> !Double.isNaN(x))
            .collect(Collectors.toCollection(ArrayList::new));
    if (!floors.isEmpty()) {
      double floor = Spread.median(floors);
      out.add(
          f(
              "%s: Java's epoch is %.2f x its kernel floor (%.1f s: the step's heavy ops alone, "
                  + "see bench --floor)",
              name, Spread.median(p.epochs(Interleaved.JAVA)) / floor, floor));
    }
    if (JAVA_KERAS.ran(p)) {
      out.add(
          f(
              "%s: test accuracy, run by run: Java %s; Keras %s",
              name, accuracies(java), accuracies(p.side(Interleaved.KERAS))));
    }
    return out;
  }

  private static String accuracies(List<BenchRun> runs) {
    return runs.stream().map(r -> f("%.4f", r.accuracy())).collect(Collectors.joining(", "));
  }

  /** The report as the JSON object {@code bench --report --json} writes. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu", cpus.size() == 1 ? cpuJson() : new ArrayList<>(cpus));
    List<Object> out = new ArrayList<>();
    for (Interleaved p : presets) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("preset", p.preset());
      pm.put("order", p.runs().stream().map(BenchRun::side).toList());
      Map<String, Object> sides = new LinkedHashMap<>();
      for (String side : sides(p)) {
        sides.put(side, sideJson(p, side));
      }
      pm.put("sides", sides);
      if (JAVA_KERAS.ran(p)) {
        pm.put(
            "epoch_ratio",
            ratioJson(JAVA_KERAS.epochRatio(p), p, Interleaved.Pair::epochRatio, JAVA_KERAS));
        pm.put(
            "inference_ratio",
            ratioJson(p.inferenceRatio(), p, Interleaved.Pair::inferenceRatio, JAVA_KERAS));
      }
      if (BF16_FLOAT32.ran(p)) {
        pm.put(
            "bf16_epoch_ratio",
            ratioJson(BF16_FLOAT32.epochRatio(p), p, Interleaved.Pair::epochRatio, BF16_FLOAT32));
      }
      out.add(pm);
    }
    m.put("presets", out);
    return m;
  }

  private Object cpuJson() {
    for (Interleaved p : presets) {
      for (BenchRun r : p.runs()) {
        if (r.cpu() != null) {
          return r.cpu().json();
        }
      }
    }
    return null;
  }

  private static Map<String, Object> sideJson(Interleaved p, String side) {
    List<BenchRun> runs = p.side(side);
    Spread rate = Spread.of(p.inferenceRates(side));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("runtime", runs.get(0).runtime());
    s.put("runs", runs.size());
    s.put("epoch_seconds", spreadJson(Spread.of(p.epochs(side))));
    s.put("epoch_seconds_by_run", runs.stream().map(BenchRun::epochTimes).toList());
    s.put("inference_images_per_second", Map.of("best", rate.max(), "median", rate.median()));
    s.put("inference_batch", runs.get(0).inferenceBatch());
    s.put("test_accuracy", runs.stream().map(BenchRun::accuracy).toList());
    s.put("peak_rss_bytes", runs.stream().mapToLong(BenchRun::peakRss).max().orElse(0));
    return s;
  }

  private static Map<String, Object> spreadJson(Spread s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", s.count());
    m.put("min", s.min());
    m.put("q1", s.q1());
    m.put("median", s.median());
    m.put("q3", s.q3());
    m.put("max", s.max());
    return m;
  }

  private static Map<String, Object> ratioJson(
      double all, Interleaved p, ToDoubleFunction<Interleaved.Pair> v, Comparison c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", all);
    for (boolean numeratorFirst : new boolean[] {true, false}) {
      m.put(
          numeratorFirst ? c.firstKey() : c.secondKey(),
          c.pairs(p, numeratorFirst).stream().map(v::applyAsDouble).toList());
    }
    return m;
  }
}
