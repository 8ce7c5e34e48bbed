package org.tfmnist.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.nn.Context;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.Shapes;

/**
 * The evaluation sets in the graph, by name ("val", "test", ...): each has an inference pass (no
 * dropout, the moving statistics) over a chunk of its examples starting at a fed index, so a whole
 * set is evaluated in a few runs of {@link #evalChunk} examples, without feeding any image.
 */
final class EvalSets {

  /** Examples per evaluation run at most (for models with small activations, as the MLPs). */
  static final int DEFAULT_EVAL_CHUNK = 1000;

  /** What one evaluation run's largest activation may take: it then stays in the CPU's cache. */
  static final long EVAL_ACTIVATION_BYTES = 16L << 20;

  /**
   * Examples per evaluation run for {@code model}: as many as keep its largest layer output within
   * {@value #EVAL_ACTIVATION_BYTES} bytes, between 32 and {@value #DEFAULT_EVAL_CHUNK}. The forward
   * pass is memory-bound: the CNN's 10,000 validation images took 2.4–2.7 s in runs of 128 against
   * 3.2–4.0 s in runs of 1,000 (147 KB of conv2 output per image); the MLP's (2 KB) are fastest in
   * runs of 1,000.
   */
  static int evalChunk(Sequential model) {
    long largest =
        model.layers().stream()
            .mapToLong(b -> Shapes.size(b.outputShape()) * Float.BYTES)
            .max()
            .orElse(1);
    return (int) Math.max(32, Math.min(DEFAULT_EVAL_CHUNK, EVAL_ACTIVATION_BYTES / largest));
  }

  private record EvalSet(
      LabeledImages data,
      int count,
      Placeholder<TInt32> start,
      Operand<TFloat64> lossSum,
      Operand<TInt64> correct,
      Operand<TFloat32> probabilities) {}

  private final Ops tf;
  private final TrainingGraph.Spec spec;
  private final GraphData data;
  private final GraphWeights weights;
  private final Operand<TInt64> globalStep;
  private final Map<String, EvalSet> sets = new LinkedHashMap<>();

  /**
   * Builds a set for every entry of {@code eval} (the same {@link LabeledImages} object is stored
   * once, under its first name); {@code globalStep} is read with each evaluation.
   */
  EvalSets(
      Ops tf,
      TrainingGraph.Spec spec,
      GraphData data,
      GraphWeights weights,
      Operand<TInt64> globalStep,
      Map<String, LabeledImages> eval) {
    this.tf = tf;
    this.spec = spec;
    this.data = data;
    this.weights = weights;
    this.globalStep = globalStep;
    Map<LabeledImages, EvalSet> built = new java.util.IdentityHashMap<>();
    for (Map.Entry<String, LabeledImages> e : eval.entrySet()) {
      sets.put(e.getKey(), built.computeIfAbsent(e.getValue(), d -> build(e.getKey(), d)));
    }
  }

  /**
   * The name of the set holding {@code d}: one given at construction, or one added to the graph now
   * and uploaded through {@code session} (which then runs the grown graph).
   */
  String nameOf(LabeledImages d, Session session) {
    for (Map.Entry<String, EvalSet> e : sets.entrySet()) {
      if (e.getValue().data() == d) {
        return e.getKey();
      }
    }
    String name = "added_" + sets.size();
    sets.put(name, build(name, d));
    data.upload(session);
    return name;
  }

  private EvalSet build(String name, LabeledImages d) {
    GraphData.Stored stored = data.store(name, d);
    Ops e = tf.withSubScope("eval_" + name);
    Placeholder<TInt32> start =
        e.withName("start").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Operand<TInt32> size =
        e.math.minimum(e.constant(spec.evalChunk()), e.math.sub(e.constant(d.count()), start));
    Operand<TInt32> idx = e.range(start, e.math.add(start, size), e.constant(1));
    GraphData.Batch b = data.batch(e, stored, idx);
    Sequential.Forward f =
        spec.model()
            .forward(
                e, b.images(), weights.values(), Context.inference().withPolicy(spec.policy()));
    Operand<TFloat64> lossSum =
        e.dtypes.cast(
            e.reduceSum(spec.loss().perExample(e, f, b.oneHot()), e.constant(0)), TFloat64.class);
    return new EvalSet(
        d,
        d.count(),
        start,
        lossSum,
        TrainStep.countCorrect(e, f.output(), b.labels()),
        f.output());
  }

  /** Loss and accuracy of the current weights on set {@code name}, with the global step. */
  Metrics evaluate(Session session, String name) {
    EvalSet es = get(name);
    double loss = 0;
    long correct = 0;
    long step = 0;
    for (int start = 0; start < es.count(); start += spec.evalChunk()) {
      try (TInt32 s = TInt32.scalarOf(start);
          Result r =
              session
                  .runner()
                  .feed(es.start(), s)
                  .fetch(es.lossSum())
                  .fetch(es.correct())
                  .fetch(globalStep)
                  .run()) {
        loss += ((TFloat64) r.get(0)).getDouble();
        correct += ((TInt64) r.get(1)).getLong();
        step = ((TInt64) r.get(2)).getLong();
      }
    }
    return new Metrics(loss / es.count(), (double) correct / es.count(), es.count(), step);
  }

  /** The model's class probabilities for every example of set {@code name}. */
  float[][] probabilities(Session session, String name) {
    EvalSet es = get(name);
    float[][] out = new float[es.count()][];
    for (int start = 0; start < es.count(); start += spec.evalChunk()) {
      try (TInt32 s = TInt32.scalarOf(start);
          Result r = session.runner().feed(es.start(), s).fetch(es.probabilities()).run()) {
        copyRows((TFloat32) r.get(0), out, start);
      }
    }
    return out;
  }

  /** Copies a batch of class probabilities into {@code out}, from row {@code start} on. */
  static void copyRows(TFloat32 p, float[][] out, int start) {
    int classes = (int) p.shape().size(1);
    for (int i = 0; i < p.shape().size(0); i++) {
      float[] row = new float[classes];
      for (int c = 0; c < classes; c++) {
        row[c] = p.getFloat(i, c);
      }
      out[start + i] = row;
    }
  }

  private EvalSet get(String name) {
    EvalSet es = sets.get(name);
    if (es == null) {
      throw new IllegalArgumentException("no evaluation set '" + name + "'");
    }
    return es;
  }
}
