package org.tfmnist.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;
import org.tfmnist.graph.HeavyOp;

/**
 * The arithmetic floor under a training step: each heavy op of the step (convolutions, their
 * gradients, matrix products) run alone at its own shapes on the same native runtime, fp32 and
 * bf16, best of several runs, on inputs that stay in TensorFlow (variables, nothing fed or
 * fetched). Their sum is the time a step could not go below without faster kernels; a whole epoch
 * is then reported as a multiple of it. A 2048 x 2048 matrix product gives the machine's reference
 * rate.
 */
public final class KernelFloor {

  /** Side of the reference matrix product. */
  static final int REFERENCE = 2048;

  /** One op's time alone; {@code bf16Ms} is NaN where this runtime has no bf16 kernel for it. */
  public record Row(HeavyOp op, String layer, double fp32Ms, double bf16Ms) {
    double gflops(double ms) {
      return op.flops() / (ms * 1e6);
    }
  }

  /**
   * Every heavy op's row, the reference product's rates (GFLOP/s; NaN: no bf16 kernel), and the
   * epoch they add up to: {@code steps} steps at {@code batch}, then the forward pass over {@code
   * validationImages}.
   */
  public record Floor(
      List<Row> rows,
      double referenceGflops,
      double referenceBf16Gflops,
      int batch,
      int steps,
      int validationImages) {

    /** The step's floor: the sum of its heavy ops' times (ms). */
    public double stepMs(boolean bf16) {
      return rows.stream().mapToDouble(r -> bf16 ? r.bf16Ms() : r.fp32Ms()).sum();
    }

    /**
     * Whether the step computes in bfloat16 (a mixed_bfloat16 policy): its floor is then bf16's.
     */
    public boolean bf16() {
      return rows.stream().anyMatch(r -> r.op().bf16());
    }

    /** The forward ops' sum (ms): what one batch of the same size costs at inference. */
    public double forwardMs() {
      boolean bf16 = bf16();
      return rows.stream()
          .filter(r -> r.op().forward())
          .mapToDouble(r -> bf16 ? r.bf16Ms() : r.fp32Ms())
          .sum();
    }

    /**
     * The floor under an epoch (seconds): its training steps and its validation's forward pass, in
     * the precision the step computes in.
     */
    public double epochSeconds() {
      return (steps * stepMs(bf16()) + (double) validationImages / batch * forwardMs()) / 1000;
    }
  }

  private KernelFloor() {}

  /**
   * Times each of {@code ops} (a step of {@code batch} images, {@code steps} steps an epoch, then
   * {@code validationImages} validated) alone, best of {@code runs} after two warm-up runs.
   */
  public static Floor measure(
      List<HeavyOp> ops, int batch, int steps, int validationImages, ConfigProto config, int runs) {
    long[] sq = {REFERENCE, REFERENCE};
    List<HeavyOp> all = new ArrayList<>(ops);
    all.add(new HeavyOp("MatMul", "reference", sq, sq, sq, new long[0], "", false, false, false));
    double[] fp32 = timeAll(all, TFloat32.class, config, runs);
    double[] bf16 = timeAll(all, TBfloat16.class, config, runs);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      rows.add(new Row(ops.get(i), layerOf(ops.get(i), ops), fp32[i], bf16[i]));
    }
    double refFlops = all.get(ops.size()).flops();
    return new Floor(
        rows,
        refFlops / (fp32[ops.size()] * 1e6),
        refFlops / (bf16[ops.size()] * 1e6),
        batch,
        steps,
        validationImages);
  }

  /** Each op's best time in ms, NaN where the runtime refuses the op at this type. */
  private static <T extends TFloating> double[] timeAll(
      List<HeavyOp> ops, Class<T> type, ConfigProto config, int runs) {
    double[] ms = new double[ops.size()];
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Op> targets = new ArrayList<>();
      for (HeavyOp op : ops) {
        targets.add(build(tf, op, type));
      }
      try (Session s = new Session(g, config)) {
        s.initialize();
        for (int i = 0; i < ops.size(); i++) {
          ms[i] = best(s, targets.get(i), runs);
        }
      }
    }
    return ms;
  }

  private static double best(Session s, Op target, int runs) {
    double best = Double.POSITIVE_INFINITY;
    try {
      for (int i = 0; i < runs + 2; i++) {
        long t0 = System.nanoTime();
        try (Result r = s.runner().addTarget(target).run()) {
          // nothing fetched: the op's result stays in TensorFlow
        }
        if (i >= 2) {
          best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
      }
    } catch (TensorFlowException e) {
      return Double.NaN; // e.g. no bf16 kernel for this op on this CPU
    }
    return best;
  }

  private static <T extends TFloating> Op build(Ops tf, HeavyOp op, Class<T> type) {
    List<Long> strides = new ArrayList<>();
    for (long v : op.strides()) {
      strides.add(v);
    }
    return switch (op.type()) {
      case "MatMul" ->
          tf.linalg.matMul(
              input(tf, op.x(), type),
              input(tf, op.filter(), type),
              MatMul.transposeA(op.transposeA()),
              MatMul.transposeB(op.transposeB()));
      case "Conv2D" ->
          tf.nn.conv2d(
              input(tf, op.x(), type), input(tf, op.filter(), type), strides, op.padding());
      case "Conv2DBackpropInput" ->
          tf.nn.conv2dBackpropInput(
              tf.constant(ints(op.x())),
              input(tf, op.filter(), type),
              input(tf, op.y(), type),
              strides,
              op.padding());
      case "Conv2DBackpropFilter" ->
          tf.nn.conv2dBackpropFilter(
              input(tf, op.x(), type),
              tf.constant(ints(op.filter())),
              input(tf, op.y(), type),
              strides,
              op.padding());
      default -> throw new IllegalArgumentException("not a heavy op: " + op.type());
    };
  }

  /** A variable of random normal values: read in place at each run, never fed. */
  private static <T extends TFloating> Operand<T> input(Ops tf, long[] shape, Class<T> type) {
    Operand<TFloat32> init =
        tf.random.statelessRandomNormal(tf.constant(shape), tf.constant(new long[] {1, 2}));
    return tf.variable(tf.dtypes.cast(init, type));
  }

  private static int[] ints(long[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.toIntExact(v[i]);
    }
    return out;
  }

  /**
   * The layer an op belongs to: a forward op's scope ({@code train/conv2d_1/Conv2d} is {@code
   * conv2d_1}); a gradient's is the forward op with the same weight shape and input shape.
   */
  static String layerOf(HeavyOp op, List<HeavyOp> all) {
    if (op.forward()) {
      String[] parts = op.name().split("/");
      return parts.length >= 3 ? parts[parts.length - 2] : op.name();
    }
    for (HeavyOp f : all) {
      if (!f.forward() || !f.type().equals(op.type().startsWith("Conv") ? "Conv2D" : "MatMul")) {
        continue;
      }
      if (op.type().startsWith("Conv")) {
        if (Arrays.equals(f.filter(), op.filter()) && Arrays.equals(f.x(), op.x())) {
          return layerOf(f, all);
        }
      } else if (Arrays.equals(f.filter(), weightOf(op))) {
        return layerOf(f, all);
      }
    }
    return op.name();
  }

  /** A product gradient's weight shape: the result for dW = x^T dy, the right side for dx. */
  private static long[] weightOf(HeavyOp grad) {
    return grad.transposeA() ? grad.y() : grad.filter();
  }

  /** What the op computes, in words: forward, gradient of the input, gradient of the weights. */
  static String role(HeavyOp op) {
    return switch (op.type()) {
      case "Conv2D" -> "forward";
      case "Conv2DBackpropInput" -> "grad input";
      case "Conv2DBackpropFilter" -> "grad weights";
      default -> op.forward() ? "forward" : (op.transposeA() ? "grad weights" : "grad input");
    };
  }

  /** The table, one row per op, with the floor per step and per epoch below it. */
  public static String table(Floor f, String preset) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Kernel floor of %s's training step (batch %d): each heavy op alone, best time%n",
            preset,
            f.batch()));
    sb.append(
        String.format(
            Locale.ROOT,
            "  %-16s %-12s %-42s %8s %9s %8s %9s%n",
            "layer",
            "op",
            "shapes",
            "GFLOP",
            "fp32 ms",
            "GFLOP/s",
            "bf16 ms"));
    for (Row r : f.rows()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-16s %-12s %-42s %8.3f %9.2f %8.0f %9s%n",
              r.layer(),
              role(r.op()),
              r.op().shapes(),
              r.op().flops() / 1e9,
              r.fp32Ms(),
              r.gflops(r.fp32Ms()),
              Double.isNaN(r.bf16Ms()) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.bf16Ms())));
    }
    double flops = f.rows().stream().mapToDouble(r -> r.op().flops()).sum();
    sb.append(
        String.format(
            Locale.ROOT,
            "  sum: %.3f GFLOP in %.2f ms per step (%.0f GFLOP/s) = %.1f s per epoch of %d steps%s%n",
            flops / 1e9,
            f.stepMs(false),
            flops / (f.stepMs(false) * 1e6),
            f.steps() * f.stepMs(false) / 1000,
            f.steps(),
            f.bf16() ? "" : withValidation(f)));
    double bf16 = f.stepMs(true);
    sb.append(
        Double.isNaN(bf16)
            ? "  bf16: not every op has a bf16 kernel in this runtime on this CPU\n"
            : String.format(
                Locale.ROOT,
                "  bf16: %.2f ms per step = %.1f s per epoch of steps%s%n",
                bf16,
                f.steps() * bf16 / 1000,
                f.bf16()
                    ? withValidation(f) + " (the step computes in bf16: this is its floor)"
                    : ""));
    sb.append(
        String.format(
            Locale.ROOT,
            "  reference: a %dx%d matrix product runs at %.0f GFLOP/s fp32, %s bf16%n",
            REFERENCE,
            REFERENCE,
            f.referenceGflops(),
            Double.isNaN(f.referenceBf16Gflops())
                ? "n/a"
                : String.format(Locale.ROOT, "%.0f GFLOP/s", f.referenceBf16Gflops())));
    return sb.toString();
  }

  private static String withValidation(KernelFloor.Floor f) {
    return String.format(
        Locale.ROOT,
        "; with the forward pass over %,d validation images: %.1f s",
        f.validationImages(),
        f.epochSeconds());
  }

  /** The floor as JSON fields for the bench file. */
  public static Map<String, Object> json(Floor f) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Row r : f.rows()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("layer", r.layer());
      row.put("op", r.op().type());
      row.put("role", role(r.op()));
      row.put("shapes", r.op().shapes());
      row.put("gflop", r.op().flops() / 1e9);
      row.put("fp32_ms", r.fp32Ms());
      row.put("bf16_ms", Double.isNaN(r.bf16Ms()) ? null : r.bf16Ms());
      rows.add(row);
    }
    m.put("ops", rows);
    m.put("step_ms", f.stepMs(false));
    double bf16 = f.stepMs(true);
    m.put("step_ms_bf16", Double.isNaN(bf16) ? null : bf16);
    m.put("epoch_seconds", f.epochSeconds());
    m.put("precision", f.bf16() ? "bf16" : "fp32");
    m.put("reference_matmul_gflops", f.referenceGflops());
    m.put(
        "reference_matmul_gflops_bf16",
        Double.isNaN(f.referenceBf16Gflops()) ? null : f.referenceBf16Gflops());
    return m;
  }
}
