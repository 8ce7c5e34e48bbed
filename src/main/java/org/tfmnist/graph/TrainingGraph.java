package org.tfmnist.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.nn.Context;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.Shapes;
import org.tfmnist.optim.OptimizerSpec;

/**
 * The whole training computation as one TensorFlow graph in one session.
 *
 * <p>The data sets are copied into the graph once, as uint8 resource variables (47 MB for MNIST's
 * training set). Each epoch one run draws a permutation in the graph (stateless random, keyed by
 * the seed and the epoch); each training step is then a run with no inputs and no outputs: the
 * graph reads its step counter, gathers its batch from the permutation, normalises it (x / 255),
 * one-hot encodes the labels, runs forward and backward, applies the framework optimizer and
 * advances the counter and the running loss/accuracy sums. Nothing crosses JNI per step but the
 * call itself; the metrics are fetched only when the progress bar redraws.
 *
 * <p>Weights are reference variables (TF Java's framework optimizers apply their updates with the
 * ref-variable kernels) named "{layer}_{param}"; {@link Session#save} therefore checkpoints exactly
 * the weights and the optimizer's slots, never the data.
 */
public final class TrainingGraph implements AutoCloseable {

  /** Examples per evaluation run at most (for models with small activations, as the MLPs). */
  public static final int DEFAULT_EVAL_CHUNK = 1000;

  /** What one evaluation run's largest activation may take: it then stays in the CPU's cache. */
  static final long EVAL_ACTIVATION_BYTES = 16L << 20;

  /**
   * Examples per evaluation run for {@code model}: as many as keep its largest layer output within
   * {@value #EVAL_ACTIVATION_BYTES} bytes, between 32 and {@value #DEFAULT_EVAL_CHUNK}. The forward
   * pass is memory-bound: the CNN's 10,000 validation images took 2.4–2.7 s in runs of 128 against
   * 3.2–4.0 s in runs of 1,000 (147 KB of conv2 output per image); the MLP's (2 KB) are fastest in
   * runs of 1,000.
   */
  public static int evalChunk(Sequential model) {
    long largest =
        model.layers().stream()
            .mapToLong(b -> Shapes.size(b.outputShape()) * Float.BYTES)
            .max()
            .orElse(1);
    return (int) Math.max(32, Math.min(DEFAULT_EVAL_CHUNK, EVAL_ACTIVATION_BYTES / largest));
  }

  /** What to build; {@code policy} is the type the layers compute in (variables stay float32). */
  public record Spec(
      Sequential model,
      Loss loss,
      OptimizerSpec optimizer,
      int batchSize,
      long seed,
      int evalChunk,
      DTypePolicy policy) {}

  /** Loss and accuracy over some examples. */
  public record Metrics(double loss, double accuracy, long count) {
    public boolean finite() {
      return Double.isFinite(loss);
    }
  }

  private final Spec spec;
  private final Graph graph;
  private final Ops tf;
  private final Session session;
  private final Map<String, Variable<TFloat32>> weights = new LinkedHashMap<>();

  /** The weights the optimizer trains (not a batch norm's moving statistics). */
  private final List<String> trainable = new ArrayList<>();

  private final int trainCount;
  private final int stepsPerEpoch;

  private final Placeholder<TInt64> epochIn;
  private final Op startEpoch;
  private final Op trainStep;
  private final Operand<TFloat64> trainLossSum;
  private final Operand<TInt64> trainCorrect;
  private final Operand<TInt64> trainSeen;
  private final Operand<TInt64> globalStepRead;
  private final Placeholder<TInt64> globalStepIn;
  private final Op setGlobalStep;
  private final Op initWeights;
  private final Placeholder<TFloat32> learningRateIn;
  private final Op setLearningRate;
  private final Operand<TFloat32> learningRateRead;
  private final Map<String, EvalSet> evalSets = new LinkedHashMap<>();
  private final Map<String, Placeholder<TFloat32>> weightIn = new LinkedHashMap<>();
  private final List<Op> weightAssign = new ArrayList<>();
  private final List<DataLoad> loads = new ArrayList<>();

  /** The inference pass on fed float images, added on the first prediction of floats. */
  private Placeholder<TFloat32> predictInput;

  private Operand<TFloat32> predictOutput;
  private final Optimizer optimizer;

  private record DataLoad(Placeholder<TUint8> input, Op assign, byte[] bytes, Shape shape) {}

  private record EvalSet(
      LabeledImages data,
      int count,
      Placeholder<TInt32> start,
      Operand<TFloat64> lossSum,
      Operand<TInt64> correct,
      Operand<TFloat32> probabilities) {}

  /**
   * Builds the graph for training {@code spec.model()} on {@code train}, with named evaluation sets
   * (e.g. "val", "test"; the same {@link LabeledImages} object is stored once).
   */
  public TrainingGraph(
      Spec spec, LabeledImages train, Map<String, LabeledImages> eval, ConfigProto config) {
    this.spec = spec;
    Sequential model = spec.model();
    long[] in = model.inputShape();
    if (!Arrays.equals(in, new long[] {train.rows(), train.cols()})
        && !Arrays.equals(in, new long[] {train.rows(), train.cols(), 1})) {
      throw new IllegalArgumentException(
          "the model takes "
              + Arrays.toString(in)
              + " inputs, the data is "
              + train.rows()
              + "x"
              + train.cols());
    }
    long[] out = model.outputShape();
    if (out.length != 1 || out[0] != LabeledImages.CLASSES) {
      throw new IllegalArgumentException(
          "the model must output 10 class scores, it outputs " + Arrays.toString(out));
    }
    if (spec.batchSize() <= 0) {
      throw new IllegalArgumentException("batch size must be positive");
    }
    this.trainCount = train.count();
    this.stepsPerEpoch = (trainCount + spec.batchSize() - 1) / spec.batchSize();
    this.graph = new Graph();
    this.tf = Ops.create(graph);

    // ---- weights, initialised in the graph from the seed
    List<Op> inits = new ArrayList<>();
    int w = 0;
    weights.putAll(ModelVariables.create(tf, model));
    for (Sequential.Weight weight : model.weights()) {
      long[] shape = weight.param().shape();
      Variable<TFloat32> v = weights.get(weight.variableName());
      Operand<TInt64> seed = tf.constant(new long[] {spec.seed(), 1_000_003L * (++w)});
      Ops named = tf.withSubScope(weight.variableName() + "_init");
      inits.add(named.assign(v, weight.param().initializer().create(named, shape, seed)));
      if (weight.param().trainable()) {
        trainable.add(weight.variableName());
      }
    }

    // ---- counters and running metrics (resource variables: not part of checkpoints)
    Operand<? extends TType> step = scalarVar("step_in_epoch", TInt32.class);
    Operand<? extends TType> globalStep = scalarVar("global_step", TInt64.class);
    inits.add(tf.assignVariableOp(globalStep, tf.constant(0L)));
    Operand<? extends TType> lossSum = scalarVar("train_loss_sum", TFloat64.class);
    Operand<? extends TType> correct = scalarVar("train_correct", TInt64.class);
    Operand<? extends TType> seen = scalarVar("train_seen", TInt64.class);
    this.globalStepRead = tf.readVariableOp(globalStep, TInt64.class);
    this.globalStepIn = tf.withName("global_step_in").placeholder(TInt64.class);
    this.setGlobalStep = tf.assignVariableOp(globalStep, globalStepIn);

    // ---- data
    Operand<? extends TType> trainX =
        dataVar(
            "train_images", train.pixels(), Shape.of(train.count(), train.rows(), train.cols()));
    Operand<? extends TType> trainY =
        dataVar("train_labels", train.labels(), Shape.of(train.count()));
    Operand<? extends TType> perm = resourceVar("permutation", TInt32.class, Shape.of(trainCount));

    // ---- once per epoch: a fresh permutation, counters and metrics reset
    this.epochIn =
        tf.withName("epoch").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    Operand<TInt64> shuffleSeed =
        tf.stack(List.of(tf.constant(spec.seed() ^ 0x5DEECE66DL), epochIn));
    Operand<TFloat32> keys =
        tf.random.statelessRandomUniform(tf.constant(new int[] {trainCount}), shuffleSeed);
    Operand<TInt32> permutation =
        tf.nn
            .topK(
                keys,
                tf.constant(trainCount),
                new org.tensorflow.op.nn.TopK.Options[] {org.tensorflow.op.nn.TopK.sorted(true)})
            .indices();
    this.startEpoch =
        tf.withControlDependencies(
                List.of(
                    tf.assignVariableOp(perm, permutation),
                    tf.assignVariableOp(step, tf.constant(0)),
                    tf.assignVariableOp(lossSum, tf.constant(0.0)),
                    tf.assignVariableOp(correct, tf.constant(0L)),
                    tf.assignVariableOp(seen, tf.constant(0L))))
            .withName("start_epoch")
            .noOp();

    // ---- one training step, entirely in the graph
    Ops t = tf.withSubScope("train");
    Operand<TInt32> s = t.readVariableOp(step, TInt32.class);
    Operand<TInt32> begin = t.math.mul(s, t.constant(spec.batchSize()));
    Operand<TInt32> size =
        t.math.minimum(t.constant(spec.batchSize()), t.math.sub(t.constant(trainCount), begin));
    Operand<TInt32> idx =
        t.slice(
            t.readVariableOp(perm, TInt32.class),
            t.reshape(begin, t.constant(new int[] {1})),
            t.reshape(size, t.constant(new int[] {1})));
    Operand<TFloat32> xb = normalise(t, t.resourceGather(trainX, idx, TUint8.class));
    Operand<TInt32> yb = t.dtypes.cast(t.resourceGather(trainY, idx, TUint8.class), TInt32.class);
    Operand<TFloat32> oneHot =
        t.oneHot(yb, t.constant(LabeledImages.CLASSES), t.constant(1f), t.constant(0f));
    Operand<TInt64> stepSeed =
        t.stack(List.of(t.constant(spec.seed()), t.readVariableOp(globalStep, TInt64.class)));
    Map<String, Operand<TFloat32>> values = new LinkedHashMap<>(weights);
    Sequential.Forward f =
        model.forward(
            t,
            xb,
            values,
            Context.training(stepSeed, (ops, name, value) -> ops.assign(weights.get(name), value))
                .withPolicy(spec.policy()));
    Operand<TFloat32> loss =
        t.withName("loss").math.mean(spec.loss().perExample(t, f, oneHot), t.constant(0));

    List<String> names = trainable;
    Output<?>[] vars = new Output<?>[names.size()];
    for (int i = 0; i < vars.length; i++) {
      vars[i] = weights.get(names.get(i)).asOutput();
    }
    Output<?>[] grads = graph.addGradients(loss.asOutput(), vars);
    List<GradAndVar<? extends TType>> gv = new ArrayList<>();
    for (int i = 0; i < vars.length; i++) {
      gv.add(gradAndVar(grads[i], vars[i]));
    }
    // the learning rate: Keras' schedule of the global step, or a variable callbacks may set
    Operand<? extends TType> lrVar = scalarVar("learning_rate", TFloat32.class);
    inits.add(tf.assignVariableOp(lrVar, tf.constant((float) spec.optimizer().learningRate())));
    this.learningRateIn = tf.withName("learning_rate_in").placeholder(TFloat32.class);
    this.setLearningRate = tf.assignVariableOp(lrVar, learningRateIn);
    Operand<TFloat32> lr =
        spec.optimizer().schedule() != null
            ? spec.optimizer().schedule().at(t, t.readVariableOp(globalStep, TInt64.class))
            : t.readVariableOp(lrVar, TFloat32.class);
    this.learningRateRead = lr; // fetched alone, it reads the rate the next step will use
    this.optimizer = spec.optimizer().create(graph, lr);
    Op apply = optimizer.applyGradients(gv, "apply_gradients");

    Ops after = t.withControlDependencies(List.of(apply));
    // argmax(softmax(z)) = argmax(z): the accuracy needs no softmax in the training step
    Operand<TInt64> batchCorrect =
        countCorrect(t, f.logits() != null ? f.logits() : f.output(), yb);
    List<Op> updates = new ArrayList<>(f.updates()); // moving statistics
    updates.addAll(
        List.of(
            after.assignAddVariableOp(step, t.constant(1)),
            after.assignAddVariableOp(globalStep, t.constant(1L)),
            after.assignAddVariableOp(
                lossSum,
                t.math.mul(
                    t.dtypes.cast(loss, TFloat64.class), t.dtypes.cast(size, TFloat64.class))),
            after.assignAddVariableOp(correct, batchCorrect),
            after.assignAddVariableOp(seen, t.dtypes.cast(size, TInt64.class))));
    this.trainStep = tf.withControlDependencies(updates).withName("train_step").noOp();
    this.initWeights = tf.withControlDependencies(inits).withName("init_weights").noOp();
    this.trainLossSum = tf.readVariableOp(lossSum, TFloat64.class);
    this.trainCorrect = tf.readVariableOp(correct, TInt64.class);
    this.trainSeen = tf.readVariableOp(seen, TInt64.class);

    // ---- evaluation sets (inference: no dropout), in chunks
    Map<LabeledImages, EvalSet> built = new java.util.IdentityHashMap<>();
    for (Map.Entry<String, LabeledImages> e : eval.entrySet()) {
      EvalSet es = built.computeIfAbsent(e.getValue(), d -> buildEval(e.getKey(), d, model, spec));
      evalSets.put(e.getKey(), es);
    }

    this.session = new Session(graph, config);
    for (DataLoad l : loads) {
      try (TUint8 tensor = TUint8.tensorOf(l.shape(), DataBuffers.of(l.bytes(), true, false))) {
        session.runner().feed(l.input(), tensor).addTarget(l.assign()).run();
      }
    }
    loads.clear();
    session.runner().addTarget(initWeights).run();
    // the framework's optimizer slots were registered as initialisers: run them now
    session.initialize();
  }

  private EvalSet buildEval(String name, LabeledImages d, Sequential model, Spec spec) {
    Operand<? extends TType> x =
        dataVar(name + "_images", d.pixels(), Shape.of(d.count(), d.rows(), d.cols()));
    Operand<? extends TType> y = dataVar(name + "_labels", d.labels(), Shape.of(d.count()));
    Ops e = tf.withSubScope("eval_" + name);
    Placeholder<TInt32> start =
        e.withName("start").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Operand<TInt32> size =
        e.math.minimum(e.constant(spec.evalChunk()), e.math.sub(e.constant(d.count()), start));
    Operand<TInt32> idx = e.range(start, e.math.add(start, size), e.constant(1));
    Operand<TFloat32> xb = normalise(e, e.resourceGather(x, idx, TUint8.class));
    Operand<TInt32> yb = e.dtypes.cast(e.resourceGather(y, idx, TUint8.class), TInt32.class);
    Operand<TFloat32> oneHot =
        e.oneHot(yb, e.constant(LabeledImages.CLASSES), e.constant(1f), e.constant(0f));
    Map<String, Operand<TFloat32>> values = new LinkedHashMap<>(weights);
    Sequential.Forward f =
        model.forward(e, xb, values, Context.inference().withPolicy(spec.policy()));
    Operand<TFloat64> lossSum =
        e.dtypes.cast(
            e.reduceSum(spec.loss().perExample(e, f, oneHot), e.constant(0)), TFloat64.class);
    return new EvalSet(d, d.count(), start, lossSum, countCorrect(e, f.output(), yb), f.output());
  }

  /**
   * Pixels to [0, 1], with a channel axis when the model takes one: Keras' MNIST CNN example reads
   * {@code Input((28, 28, 1))}, while the data is 28x28 (Keras users add the axis with numpy).
   */
  private Operand<TFloat32> normalise(Ops tf, Operand<TUint8> pixels) {
    Operand<TFloat32> x =
        tf.math.mul(tf.dtypes.cast(pixels, TFloat32.class), tf.constant(1f / 255f));
    return spec.model().inputShape().length == 3 ? tf.expandDims(x, tf.constant(-1)) : x;
  }

  private static Operand<TInt64> countCorrect(
      Ops tf, Operand<TFloat32> scores, Operand<TInt32> labels) {
    Operand<TInt32> pred = tf.math.argMax(scores, tf.constant(1), TInt32.class);
    return tf.reduceSum(tf.dtypes.cast(tf.math.equal(pred, labels), TInt64.class), tf.constant(0));
  }

  private <T extends TType> Operand<? extends TType> scalarVar(String name, Class<T> type) {
    return resourceVar(name, type, Shape.scalar());
  }

  /** A resource variable; its shared name is its op name, so no two variables alias. */
  private <T extends TType> Operand<? extends TType> resourceVar(
      String name, Class<T> type, Shape shape) {
    return tf.withName(name).varHandleOp(type, shape, VarHandleOp.sharedName(name));
  }

  private Operand<? extends TType> dataVar(String name, byte[] bytes, Shape shape) {
    Operand<? extends TType> v = resourceVar(name, TUint8.class, shape);
    Placeholder<TUint8> in =
        tf.withName(name + "_in").placeholder(TUint8.class, Placeholder.shape(shape));
    loads.add(new DataLoad(in, tf.assignVariableOp(v, in), bytes, shape));
    return v;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static GradAndVar<? extends TType> gradAndVar(Output<?> grad, Output<?> var) {
    return new GradAndVar(grad, var);
  }

  // ------------------------------------------------------------------ running

  /** The network this graph trains. */
  public Sequential network() {
    return spec.model();
  }

  public int batchSize() {
    return spec.batchSize();
  }

  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** Draws epoch {@code epoch}'s permutation (0-based) and resets the running metrics. */
  public void startEpoch(int epoch) {
    try (TInt64 e = TInt64.scalarOf(epoch)) {
      session.runner().feed(epochIn, e).addTarget(startEpoch).run();
    }
  }

  /** One optimisation step on the next batch of the epoch. */
  public void step() {
    session.runner().addTarget(trainStep).run();
  }

  /**
   * Runs {@code steps} training steps with TensorFlow's full trace and returns the time spent per
   * op type (milliseconds per step, summed over the ops of that type, largest first): where a
   * step's time goes. The steps train the model like any other.
   */
  public Map<String, Double> profileSteps(int steps) {
    Map<String, Double> byType = new java.util.HashMap<>();
    Map<String, String> typeOf = new java.util.HashMap<>();
    graph.operations().forEachRemaining(op -> typeOf.put(op.name(), op.type()));
    RunOptions trace =
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    for (int i = 0; i < steps; i++) {
      try (Result r =
          session.runner().addTarget(trainStep).setOptions(trace).runAndFetchMetadata()) {
        RunMetadata md = r.getMetadata().orElseThrow();
        for (DeviceStepStats dev : md.getStepStats().getDevStatsList()) {
          for (NodeExecStats n : dev.getNodeStatsList()) {
            String name = n.getNodeName();
            int colon = name.indexOf(':');
            String base = colon < 0 ? name : name.substring(0, colon);
            String type =
                n.getTimelineLabel().contains(" = ")
                    ? n.getTimelineLabel().replaceAll("^.* = ([A-Za-z0-9_]+)\\(.*$", "$1")
                    : typeOf.getOrDefault(base, "?");
            double ms = (n.getOpEndRelMicros() - n.getOpStartRelMicros()) / 1000.0;
            byType.merge(type, ms / steps, Double::sum);
          }
        }
      }
    }
    Map<String, Double> sorted = new LinkedHashMap<>();
    byType.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /**
   * The convolutions, their gradients and the matrix products of one training step, at the shapes
   * they run at: what {@code tf-mnist bench --floor} times alone.
   */
  public List<HeavyOp> heavyOps() {
    return HeavyOp.find(graph, (GraphOperation) trainStep.op(), spec.batchSize());
  }

  /** The mean loss and accuracy over the epoch's batches so far (Keras' running values). */
  public Metrics trainMetrics() {
    return running().metrics();
  }

  /** The running metrics and the global step they were taken at. */
  public record Running(Metrics metrics, long globalStep) {}

  /** {@link #trainMetrics()} and the global step, in one session run. */
  public Running running() {
    try (Result r =
        session
            .runner()
            .fetch(trainLossSum)
            .fetch(trainCorrect)
            .fetch(trainSeen)
            .fetch(globalStepRead)
            .run()) {
      long n = ((TInt64) r.get(2)).getLong();
      double loss = ((TFloat64) r.get(0)).getDouble();
      long ok = ((TInt64) r.get(1)).getLong();
      Metrics m = n == 0 ? new Metrics(0, 0, 0) : new Metrics(loss / n, (double) ok / n, n);
      return new Running(m, ((TInt64) r.get(3)).getLong());
    }
  }

  /**
   * Loss and accuracy of the current weights on {@code data}: an evaluation set given at
   * construction, or one added to the graph now (the session runs the grown graph).
   */
  public Metrics evaluate(LabeledImages data) {
    return evaluate(evalSetFor(data));
  }

  /** The model's class probabilities for every example of {@code data}. */
  public float[][] probabilities(LabeledImages data) {
    return probabilities(evalSetFor(data));
  }

  private String evalSetFor(LabeledImages data) {
    for (Map.Entry<String, EvalSet> e : evalSets.entrySet()) {
      if (e.getValue().data() == data) {
        return e.getKey();
      }
    }
    String name = "added_" + evalSets.size();
    evalSets.put(name, buildEval(name, data, spec.model(), spec));
    for (DataLoad l : loads) {
      try (TUint8 tensor = TUint8.tensorOf(l.shape(), DataBuffers.of(l.bytes(), true, false))) {
        session.runner().feed(l.input(), tensor).addTarget(l.assign()).run();
      }
    }
    loads.clear();
    return name;
  }

  /** Loss and accuracy of the current weights on evaluation set {@code name}. */
  public Metrics evaluate(String name) {
    EvalSet es = evalSet(name);
    double loss = 0;
    long correct = 0;
    for (int start = 0; start < es.count(); start += spec.evalChunk()) {
      try (TInt32 s = TInt32.scalarOf(start);
          Result r =
              session.runner().feed(es.start(), s).fetch(es.lossSum()).fetch(es.correct()).run()) {
        loss += ((TFloat64) r.get(0)).getDouble();
        correct += ((TInt64) r.get(1)).getLong();
      }
    }
    return new Metrics(loss / es.count(), (double) correct / es.count(), es.count());
  }

  /** The model's class probabilities for every example of evaluation set {@code name}. */
  public float[][] probabilities(String name) {
    EvalSet es = evalSet(name);
    float[][] out = new float[es.count()][];
    for (int start = 0; start < es.count(); start += spec.evalChunk()) {
      try (TInt32 s = TInt32.scalarOf(start);
          Result r = session.runner().feed(es.start(), s).fetch(es.probabilities()).run()) {
        copyRows((TFloat32) r.get(0), out, start);
      }
    }
    return out;
  }

  /**
   * The model's class probabilities for {@code count} images of floats in [0, 1], one after another
   * in {@code pixels}, each of the model's input size: the inference pass (no dropout, the moving
   * statistics) on a fed batch, in chunks of the evaluation chunk.
   */
  public float[][] probabilities(float[] pixels, int count) {
    long[] in = spec.model().inputShape();
    int size = (int) Shapes.size(in);
    if (pixels.length != (long) count * size) {
      throw new IllegalArgumentException(
          count + " images need " + (long) count * size + " floats, not " + pixels.length);
    }
    if (predictInput == null) {
      Ops p = tf.withSubScope("predict");
      predictInput =
          p.withName("images")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(Shapes.withBatch(in))));
      predictOutput =
          spec.model()
              .forward(
                  p,
                  predictInput,
                  new LinkedHashMap<>(weights),
                  Context.inference().withPolicy(spec.policy()))
              .output();
    }
    float[][] out = new float[count][];
    for (int start = 0; start < count; start += spec.evalChunk()) {
      int n = Math.min(spec.evalChunk(), count - start);
      long[] shape = Shapes.withBatch(in);
      shape[0] = n;
      float[] chunk = Arrays.copyOfRange(pixels, start * size, (start + n) * size);
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(chunk, true, false));
          Result r = session.runner().feed(predictInput, x).fetch(predictOutput).run()) {
        copyRows((TFloat32) r.get(0), out, start);
      }
    }
    return out;
  }

  private static void copyRows(TFloat32 p, float[][] out, int start) {
    int classes = (int) p.shape().size(1);
    for (int i = 0; i < p.shape().size(0); i++) {
      float[] row = new float[classes];
      for (int c = 0; c < classes; c++) {
        row[c] = p.getFloat(i, c);
      }
      out[start + i] = row;
    }
  }

  private EvalSet evalSet(String name) {
    EvalSet es = evalSets.get(name);
    if (es == null) {
      throw new IllegalArgumentException("no evaluation set '" + name + "'");
    }
    return es;
  }

  public long globalStep() {
    try (Result r = session.runner().fetch(globalStepRead).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  /** The learning rate the next step uses (the schedule's value at the global step). */
  public double learningRate() {
    try (Result r = session.runner().fetch(learningRateRead).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /**
   * Sets a constant learning rate for the steps that follow (Keras' {@code optimizer.learning_rate
   * = ...}, as ReduceLROnPlateau does); a schedule cannot be set.
   */
  public void setLearningRate(double lr) {
    if (spec.optimizer().schedule() != null) {
      throw new IllegalStateException("the learning rate follows a schedule");
    }
    try (TFloat32 v = TFloat32.scalarOf((float) lr)) {
      session.runner().feed(learningRateIn, v).addTarget(setLearningRate).run();
    }
  }

  public void setGlobalStep(long step) {
    try (TInt64 s = TInt64.scalarOf(step)) {
      session.runner().feed(globalStepIn, s).addTarget(setGlobalStep).run();
    }
  }

  /**
   * A copy of every weight's current value, by variable name (the caller closes the tensors).
   * Copies: a fetched variable shares its buffer with the variable, which the next training step
   * updates in place.
   */
  public Map<String, TFloat32> weightValues() {
    Session.Runner r = session.runner();
    List<String> names = new ArrayList<>(weights.keySet());
    for (String n : names) {
      r.fetch(weights.get(n));
    }
    Map<String, TFloat32> out = new LinkedHashMap<>();
    try (Result res = r.run()) {
      for (int i = 0; i < names.size(); i++) {
        TFloat32 live = (TFloat32) res.get(i);
        TFloat32 copy = TFloat32.tensorOf(live.shape());
        live.copyTo(copy);
        out.put(names.get(i), copy);
      }
    } catch (RuntimeException e) {
      closeAll(out);
      throw e;
    }
    return out;
  }

  /** Sets every weight to {@code values} (by variable name), as Keras' {@code set_weights}. */
  public void setWeightValues(Map<String, ? extends Tensor> values) {
    if (weightIn.isEmpty()) {
      Ops w = tf.withSubScope("set_weights");
      for (Map.Entry<String, Variable<TFloat32>> e : weights.entrySet()) {
        Placeholder<TFloat32> in = w.placeholder(TFloat32.class);
        weightIn.put(e.getKey(), in);
        weightAssign.add(w.assign(e.getValue(), in));
      }
    }
    Session.Runner r = session.runner();
    for (Map.Entry<String, Placeholder<TFloat32>> e : weightIn.entrySet()) {
      Tensor v = values.get(e.getKey());
      if (v == null) {
        throw new IllegalArgumentException("no value for weight " + e.getKey());
      }
      r.feed(e.getValue(), v);
    }
    weightAssign.forEach(r::addTarget);
    r.run();
  }

  /** The optimizer's state in Keras' terms (the caller closes it). */
  public OptimizerState optimizerState() {
    return OptimizerState.read(live(), globalStep(), (float) learningRate());
  }

  /**
   * Continues from {@code state} (Keras' or ours): the slots, the global step and, without a
   * schedule, the learning rate.
   */
  public void setOptimizerState(OptimizerState state) {
    float lr =
        spec.optimizer().schedule() != null
            ? (float) spec.optimizer().learningRateAt(state.iterations())
            : state.learningRate();
    OptimizerState.write(live(), state, lr);
    setGlobalStep(state.iterations());
    if (spec.optimizer().schedule() == null) {
      setLearningRate(state.learningRate());
    }
  }

  private OptimizerState.Live live() {
    return new OptimizerState.Live(
        graph, session, optimizer, weights, spec.optimizer(), spec.model());
  }

  /** Writes weights and optimizer slots as a TF checkpoint at {@code prefix}. */
  public void save(String prefix) {
    session.save(prefix);
  }

  /** Restores weights and optimizer slots from a checkpoint written by {@link #save}. */
  public void restore(String prefix) {
    CheckpointWeights.restore(session, prefix);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  /** Closes every tensor of a map returned by {@link #weightValues()}. */
  public static void closeAll(Map<String, ? extends Tensor> tensors) {
    tensors.values().forEach(Tensor::close);
  }
}
