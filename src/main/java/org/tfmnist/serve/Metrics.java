package org.tfmnist.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's metrics in Prometheus' text format, under TF Serving's names so that dashboards and
 * alerts written for TF Serving read them unchanged: request counts by model and status, request
 * and runtime latency histograms in microseconds (TF Serving's buckets: 10 µs growing by 1.8, 33 of
 * them), and the batching queue's latency and batch sizes (labelled with the model's name, as each
 * model has its own queue).
 *
 * <p>Written here rather than with a Prometheus client library: those append {@code _total} to
 * counters and reject TF Serving's names, which start with a colon.
 */
final class Metrics {

  /** TF Serving's latency buckets: 10 µs × 1.8^k, k = 0..32 (up to about 20 minutes). */
  static final double[] LATENCY_BUCKETS = exponential(10, 1.8, 33);

  /** TF Serving's batching queue buckets: 100 µs × 1.2^k, k = 0..51. */
  static final double[] QUEUE_BUCKETS = exponential(100, 1.2, 52);

  /** Batch sizes, as TF Serving buckets them: 1, 2, 4, ... 2^13. */
  static final double[] SIZE_BUCKETS = exponential(1, 2, 14);

  final Counter requestCount =
      new Counter(
          ":tensorflow:serving:request_count",
          "The total number of requests.",
          "model_name",
          "status");
  final Histogram requestLatency =
      new Histogram(
          ":tensorflow:serving:request_latency",
          "Distribution of wall time (in microseconds) for Tensorflow Serving request.",
          LATENCY_BUCKETS,
          "model_name",
          "API",
          "entrypoint");
  final Histogram runtimeLatency =
      new Histogram(
          ":tensorflow:serving:runtime_latency",
          "Distribution of wall time (in microseconds) for Tensorflow runtime.",
          LATENCY_BUCKETS,
          "model_name",
          "API",
          "runtime");
  final Histogram queuingLatency =
      new Histogram(
          ":tensorflow:serving:batching_session:queuing_latency",
          "Distribution of wall time spent (in microseconds) in queuing",
          QUEUE_BUCKETS,
          "thread_pool_name");
  final Histogram batchSize =
      new Histogram(
          ":tensorflow:serving:batching_session:processed_batch_size",
          "Tracks the batch size distribution on processing.",
          SIZE_BUCKETS,
          "thread_pool_name");
  final Histogram inputBatchSize =
      new Histogram(
          ":tensorflow:serving:batching_session:input_batch_size",
          "Tracks the batch size distribution on the inputs.",
          SIZE_BUCKETS,
          "thread_pool_name");

  /** In TF Serving's order: sorted by name. */
  private final List<Family> families =
      List.of(
          queuingLatency, inputBatchSize, batchSize, requestCount, requestLatency, runtimeLatency);

  /** The exposition text, every family with its HELP and TYPE lines. */
  String render() {
    StringBuilder sb = new StringBuilder(8192);
    for (Family f : families) {
      f.render(sb);
    }
    return sb.toString();
  }

  static double[] exponential(double scale, double growth, int count) {
    double[] b = new double[count];
    for (int i = 0; i < count; i++) {
      b[i] = scale * Math.pow(growth, i);
    }
    return b;
  }

  /** A metric family: a name, help text and label names. */
  abstract static class Family {
    final String name;
    final String help;
    final String[] labels;

    Family(String name, String help, String... labels) {
      this.name = name;
      this.help = help;
      this.labels = labels;
    }

    abstract void render(StringBuilder sb);

    void header(StringBuilder sb, String type) {
      sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
      sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    String labelText(List<String> values, String extra) {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < labels.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(labels[i]).append("=\"").append(escape(values.get(i))).append('"');
      }
      if (extra != null) {
        sb.append(labels.length > 0 ? "," : "").append(extra);
      }
      return sb.append('}').toString();
    }

    List<String> key(String... values) {
      if (values.length != labels.length) {
        throw new IllegalArgumentException(name + " takes labels " + Arrays.toString(labels));
      }
      return List.of(values);
    }

    static <V> List<Map.Entry<List<String>, V>> sorted(Map<List<String>, V> cells) {
      List<Map.Entry<List<String>, V>> out = new ArrayList<>(cells.entrySet());
      out.sort(
          (a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())));
      return out;
    }

    private static String escape(String v) {
      return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
  }

  /** A monotonic counter per label set. */
  static final class Counter extends Family {
    private final Map<List<String>, LongAdder> cells = new ConcurrentHashMap<>();

    Counter(String name, String help, String... labels) {
      super(name, help, labels);
    }

    void inc(String... labelValues) {
      cells.computeIfAbsent(key(labelValues), k -> new LongAdder()).increment();
    }

    @Override
    void render(StringBuilder sb) {
      header(sb, "counter");
      for (Map.Entry<List<String>, LongAdder> e : sorted(cells)) {
        sb.append(name)
            .append(labelText(e.getKey(), null))
            .append(' ')
            .append(e.getValue().sum())
            .append('\n');
      }
    }
  }

  /** A histogram per label set, with fixed upper bounds. */
  static final class Histogram extends Family {
    private final double[] bounds;
    private final Map<List<String>, Cell> cells = new ConcurrentHashMap<>();

    Histogram(String name, String help, double[] bounds, String... labels) {
      super(name, help, labels);
      this.bounds = bounds;
    }

    void observe(double value, String... labelValues) {
      Cell c = cells.computeIfAbsent(key(labelValues), k -> new Cell(bounds.length + 1));
      int i = Arrays.binarySearch(bounds, value);
      c.buckets.incrementAndGet(i >= 0 ? i : -i - 1);
      c.sum.add(value);
      c.count.increment();
    }

    /** The count and sum observed for these labels: {count, sum}. */
    double[] totals(String... labelValues) {
      Cell c = cells.get(key(labelValues));
      return c == null ? new double[2] : new double[] {c.count.sum(), c.sum.sum()};
    }

    @Override
    void render(StringBuilder sb) {
      header(sb, "histogram");
      for (Map.Entry<List<String>, Cell> e : sorted(cells)) {
        Cell c = e.getValue();
        long cumulative = 0;
        for (int i = 0; i <= bounds.length; i++) {
          cumulative += c.buckets.get(i);
          String le = i < bounds.length ? number(bounds[i]) : "+Inf";
          sb.append(name)
              .append("_bucket")
              .append(labelText(e.getKey(), "le=\"" + le + "\""))
              .append(' ')
              .append(cumulative)
              .append('\n');
        }
        sb.append(name)
            .append("_sum")
            .append(labelText(e.getKey(), null))
            .append(' ')
            .append(number(c.sum.sum()))
            .append('\n');
        sb.append(name)
            .append("_count")
            .append(labelText(e.getKey(), null))
            .append(' ')
            .append(c.count.sum())
            .append('\n');
      }
    }

    private static String number(double v) {
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        return Long.toString((long) v);
      }
      String s = String.format(Locale.ROOT, "%.6g", v);
      // only a fraction's trailing zeros go: 121439.5 prints as 121440, which must stay
      return s.contains(".") ? s.replaceAll("\\.?0+(e|$)", "$1") : s;
    }

    private static final class Cell {
      final AtomicLongArray buckets;
      final DoubleAdder sum = new DoubleAdder();
      final LongAdder count = new LongAdder();

      Cell(int n) {
        buckets = new AtomicLongArray(n);
      }
    }
  }
}
