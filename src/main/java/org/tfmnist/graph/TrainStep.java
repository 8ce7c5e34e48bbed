package org.tfmnist.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.nn.Context;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;

/**
 * The training step, entirely in the graph: the epoch's permutation, the step and global-step
 * counters, the running loss/accuracy sums, the learning rate and the optimizer's update. A step
 * reads its counter, gathers its batch from the permutation, runs forward and backward, applies the
 * optimizer and advances the counters and sums, so it is one session run with no feeds and no
 * fetches. The counters and sums are resource variables: not part of checkpoints.
 */
final class TrainStep {

  private final Placeholder<TInt64> epochIn;
  private final Op startEpoch;
  private final Op step;
  private final Operand<TFloat64> lossSumRead;
  private final Operand<TInt64> correctRead;
  private final Operand<TInt64> seenRead;
  private final Operand<TInt64> globalStepRead;
  private final Placeholder<TInt64> globalStepIn;
  private final Op setGlobalStep;
  private final Placeholder<TFloat32> learningRateIn;
  private final Op setLearningRate;
  private final Operand<TFloat32> learningRateRead;
  private final Optimizer optimizer;
  private final List<Op> inits = new ArrayList<>();

  TrainStep(
      Graph graph,
      Ops tf,
      TrainingGraph.Spec spec,
      GraphWeights weights,
      GraphData data,
      GraphData.Stored train) {
    int count = train.count();
    Operand<? extends TType> stepVar = scalarVar(tf, "step_in_epoch", TInt32.class);
    Operand<? extends TType> globalStep = scalarVar(tf, "global_step", TInt64.class);
    inits.add(tf.assignVariableOp(globalStep, tf.constant(0L)));
    Operand<? extends TType> lossSum = scalarVar(tf, "train_loss_sum", TFloat64.class);
    Operand<? extends TType> correct = scalarVar(tf, "train_correct", TInt64.class);
    Operand<? extends TType> seen = scalarVar(tf, "train_seen", TInt64.class);
    this.globalStepRead = tf.readVariableOp(globalStep, TInt64.class);
    this.globalStepIn = tf.withName("global_step_in").placeholder(TInt64.class);
    this.setGlobalStep = tf.assignVariableOp(globalStep, globalStepIn);
    Operand<? extends TType> perm =
        GraphData.resourceVar(tf, "permutation", TInt32.class, Shape.of(count));

    // once per epoch: a fresh permutation (stateless random, keyed by the seed and the epoch),
    // counters and sums reset
    this.epochIn =
        tf.withName("epoch").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    Operand<TInt64> shuffleSeed =
        tf.stack(List.of(tf.constant(spec.seed() ^ 0x5DEECE66DL), epochIn));
    Operand<TFloat32> keys =
        tf.random.statelessRandomUniform(tf.constant(new int[] {count}), shuffleSeed);
    Operand<TInt32> permutation =
        tf.nn.topK(keys, tf.constant(count), new TopK.Options[] {TopK.sorted(true)}).indices();
    this.startEpoch =
        tf.withControlDependencies(
                List.of(
                    tf.assignVariableOp(perm, permutation),
                    tf.assignVariableOp(stepVar, tf.constant(0)),
                    tf.assignVariableOp(lossSum, tf.constant(0.0)),
                    tf.assignVariableOp(correct, tf.constant(0L)),
                    tf.assignVariableOp(seen, tf.constant(0L))))
            .withName("start_epoch")
            .noOp();

    // the batch: the next batchSize indices of the permutation (the last batch may be smaller)
    Ops t = tf.withSubScope("train");
    Operand<TInt32> s = t.readVariableOp(stepVar, TInt32.class);
    Operand<TInt32> begin = t.math.mul(s, t.constant(spec.batchSize()));
    Operand<TInt32> size =
        t.math.minimum(t.constant(spec.batchSize()), t.math.sub(t.constant(count), begin));
    Operand<TInt32> idx =
        t.slice(
            t.readVariableOp(perm, TInt32.class),
            t.reshape(begin, t.constant(new int[] {1})),
            t.reshape(size, t.constant(new int[] {1})));
    GraphData.Batch batch = data.batch(t, train, idx);
    Operand<TInt64> stepSeed =
        t.stack(List.of(t.constant(spec.seed()), t.readVariableOp(globalStep, TInt64.class)));
    Sequential.Forward f =
        spec.model()
            .forward(
                t,
                batch.images(),
                weights.values(),
                Context.training(
                        stepSeed,
                        (ops, name, value) -> ops.assign(weights.variables().get(name), value))
                    .withPolicy(spec.policy()));
    Operand<TFloat32> loss =
        t.withName("loss").math.mean(spec.loss().perExample(t, f, batch.oneHot()), t.constant(0));

    List<String> names = weights.trainable();
    Output<?>[] vars = new Output<?>[names.size()];
    for (int i = 0; i < vars.length; i++) {
      vars[i] = weights.variables().get(names.get(i)).asOutput();
    }
    Output<?>[] grads = graph.addGradients(loss.asOutput(), vars);
    List<GradAndVar<? extends TType>> gv = new ArrayList<>();
    for (int i = 0; i < vars.length; i++) {
      gv.add(gradAndVar(grads[i], vars[i]));
    }
    // the learning rate: Keras' schedule of the global step, or a variable callbacks may set
    OptimizerSpec opt = spec.optimizer();
    Operand<? extends TType> lrVar = scalarVar(tf, "learning_rate", TFloat32.class);
    inits.add(tf.assignVariableOp(lrVar, tf.constant((float) opt.learningRate())));
    this.learningRateIn = tf.withName("learning_rate_in").placeholder(TFloat32.class);
    this.setLearningRate = tf.assignVariableOp(lrVar, learningRateIn);
    Operand<TFloat32> lr =
        opt.schedule() != null
            ? opt.schedule().at(t, t.readVariableOp(globalStep, TInt64.class))
            : t.readVariableOp(lrVar, TFloat32.class);
    this.learningRateRead = lr; // fetched alone, it reads the rate the next step will use
    this.optimizer = opt.create(graph, lr);
    Op apply = optimizer.applyGradients(gv, "apply_gradients");

    Ops after = t.withControlDependencies(List.of(apply));
    // argmax(softmax(z)) = argmax(z): the accuracy needs no softmax in the training step
    Operand<TInt64> batchCorrect =
        countCorrect(t, f.logits() != null ? f.logits() : f.output(), batch.labels());
    List<Op> updates = new ArrayList<>(f.updates()); // moving statistics
    updates.addAll(
        List.of(
            after.assignAddVariableOp(stepVar, t.constant(1)),
            after.assignAddVariableOp(globalStep, t.constant(1L)),
            after.assignAddVariableOp(
                lossSum,
                t.math.mul(
                    t.dtypes.cast(loss, TFloat64.class), t.dtypes.cast(size, TFloat64.class))),
            after.assignAddVariableOp(correct, batchCorrect),
            after.assignAddVariableOp(seen, t.dtypes.cast(size, TInt64.class))));
    this.step = tf.withControlDependencies(updates).withName("train_step").noOp();
    this.lossSumRead = tf.readVariableOp(lossSum, TFloat64.class);
    this.correctRead = tf.readVariableOp(correct, TInt64.class);
    this.seenRead = tf.readVariableOp(seen, TInt64.class);
  }

  /** The images whose most probable class (by {@code scores}) is their label. */
  static Operand<TInt64> countCorrect(Ops tf, Operand<TFloat32> scores, Operand<TInt32> labels) {
    Operand<TInt32> pred = tf.math.argMax(scores, tf.constant(1), TInt32.class);
    return tf.reduceSum(tf.dtypes.cast(tf.math.equal(pred, labels), TInt64.class), tf.constant(0));
  }

  /** The initial global step and learning rate. */
  List<Op> initializers() {
    return inits;
  }

  /** The op one training step runs. */
  Op op() {
    return step;
  }

  Optimizer optimizer() {
    return optimizer;
  }

  void startEpoch(Session session, int epoch) {
    try (TInt64 e = TInt64.scalarOf(epoch)) {
      session.runner().feed(epochIn, e).addTarget(startEpoch).run();
    }
  }

  void run(Session session) {
    session.runner().addTarget(step).run();
  }

  /** The running means over the epoch's batches so far and the global step, in one run. */
  Metrics running(Session session) {
    try (Result r =
        session
            .runner()
            .fetch(lossSumRead)
            .fetch(correctRead)
            .fetch(seenRead)
            .fetch(globalStepRead)
            .run()) {
      long n = ((TInt64) r.get(2)).getLong();
      double loss = ((TFloat64) r.get(0)).getDouble();
      long ok = ((TInt64) r.get(1)).getLong();
      long global = ((TInt64) r.get(3)).getLong();
      return n == 0
          ? new Metrics(0, 0, 0, global)
          : new Metrics(loss / n, (double) ok / n, n, global);
    }
  }

  /** The global-step read, for runs that fetch it along with something else. */
  Operand<TInt64> globalStepRead() {
    return globalStepRead;
  }

  long globalStep(Session session) {
    try (Result r = session.runner().fetch(globalStepRead).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  void setGlobalStep(Session session, long value) {
    try (TInt64 s = TInt64.scalarOf(value)) {
      session.runner().feed(globalStepIn, s).addTarget(setGlobalStep).run();
    }
  }

  double learningRate(Session session) {
    try (Result r = session.runner().fetch(learningRateRead).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  void setLearningRate(Session session, double lr) {
    try (TFloat32 v = TFloat32.scalarOf((float) lr)) {
      session.runner().feed(learningRateIn, v).addTarget(setLearningRate).run();
    }
  }

  private static <T extends TType> Operand<? extends TType> scalarVar(
      Ops tf, String name, Class<T> type) {
    return GraphData.resourceVar(tf, name, type, Shape.scalar());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static GradAndVar<? extends TType> gradAndVar(Output<?> grad, Output<?> var) {
    return new GradAndVar(grad, var);
  }
}
