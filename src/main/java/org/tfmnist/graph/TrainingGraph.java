package org.tfmnist.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.optim.OptimizerSpec;

/**
 * The whole training computation as one TensorFlow graph in one session, and the session's facade.
 * The parts live apart: the data sets copied into the graph ({@link GraphData}), the weights
 * ({@link GraphWeights}), the training step with its counters, learning rate and optimizer ({@link
 * TrainStep}), the evaluation sets ({@link EvalSets}), the inference pass on fed pictures ({@link
 * Predictor}) and the step profiler ({@link StepProfiler}).
 *
 * <p>Each epoch one run draws a permutation in the graph; each training step is then a run with no
 * inputs and no outputs, so nothing crosses JNI per step but the call itself; the metrics are
 * fetched only when the progress bar redraws. {@link Session#save} checkpoints exactly the weights
 * and the optimizer's slots, never the data.
 */
public final class TrainingGraph implements AutoCloseable {

  /** Examples per evaluation run at most (for models with small activations, as the MLPs). */
  public static final int DEFAULT_EVAL_CHUNK = EvalSets.DEFAULT_EVAL_CHUNK;

  /** Examples per evaluation run for {@code model} (see {@link EvalSets#evalChunk}). */
  public static int evalChunk(Sequential model) {
    return EvalSets.evalChunk(model);
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

  private final Spec spec;
  private final Graph graph;
  private final Session session;
  private final int stepsPerEpoch;
  private final GraphWeights weights;
  private final TrainStep train;
  private final EvalSets evalSets;
  private final Predictor predictor;

  /**
   * Builds the graph for training {@code spec.model()} on {@code train}, with named evaluation sets
   * (e.g. "val", "test"; the same {@link LabeledImages} object is stored once).
   */
  public TrainingGraph(
      Spec spec, LabeledImages train, Map<String, LabeledImages> eval, ConfigProto config) {
    check(spec, train);
    this.spec = spec;
    this.stepsPerEpoch = (train.count() + spec.batchSize() - 1) / spec.batchSize();
    this.graph = new Graph();
    Ops tf = Ops.create(graph);
    this.weights = new GraphWeights(tf, spec.model(), spec.seed());
    GraphData data = new GraphData(tf, spec.model().inputShape().length == 3);
    this.train = new TrainStep(graph, tf, spec, weights, data, data.store("train", train));
    List<Op> inits = new ArrayList<>(weights.initializers());
    inits.addAll(this.train.initializers());
    Op init = tf.withControlDependencies(inits).withName("init_weights").noOp();
    this.evalSets = new EvalSets(tf, spec, data, weights, this.train.globalStepRead(), eval);
    this.predictor = new Predictor(tf, spec, weights);

    this.session = new Session(graph, config);
    data.upload(session);
    session.runner().addTarget(init).run();
    // the framework's optimizer slots were registered as initialisers: run them now
    session.initialize();
  }

  private static void check(Spec spec, LabeledImages train) {
    long[] in = spec.model().inputShape();
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
    long[] out = spec.model().outputShape();
    if (out.length != 1 || out[0] != LabeledImages.CLASSES) {
      throw new IllegalArgumentException(
          "the model must output 10 class scores, it outputs " + Arrays.toString(out));
    }
    if (spec.batchSize() <= 0) {
      throw new IllegalArgumentException("batch size must be positive");
    }
  }

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
    train.startEpoch(session, epoch);
  }

  /** One optimisation step on the next batch of the epoch: one run, no feeds, no fetches. */
  public void step() {
    train.run(session);
  }

  /** The op a training step runs (for tests: what it depends on). */
  GraphOperation stepOp() {
    return (GraphOperation) train.op().op();
  }

  /**
   * Runs {@code steps} training steps with TensorFlow's full trace and returns the time spent per
   * op type (milliseconds per step, largest first). The steps train the model like any other.
   */
  public Map<String, Double> profileSteps(int steps) {
    return StepProfiler.profile(graph, session, train.op(), steps);
  }

  /**
   * The convolutions, their gradients and the matrix products of one training step, at the shapes
   * they run at: what {@code tf-mnist bench --floor} times alone.
   */
  public List<HeavyOp> heavyOps() {
    return StepProfiler.heavyOps(graph, train.op(), spec.batchSize());
  }

  /**
   * The mean loss and accuracy over the epoch's batches so far (Keras' running values), the
   * examples they cover and the global step, in one session run.
   */
  public Metrics running() {
    return train.running(session);
  }

  /**
   * Loss and accuracy of the current weights on {@code data}: an evaluation set given at
   * construction, or one added to the graph now (the session runs the grown graph).
   */
  public Metrics evaluate(LabeledImages data) {
    return evaluate(evalSets.nameOf(data, session));
  }

  /** Loss and accuracy of the current weights on evaluation set {@code name}. */
  public Metrics evaluate(String name) {
    return evalSets.evaluate(session, name);
  }

  /** The model's class probabilities for every example of {@code data}. */
  public float[][] probabilities(LabeledImages data) {
    return probabilities(evalSets.nameOf(data, session));
  }

  /** The model's class probabilities for every example of evaluation set {@code name}. */
  public float[][] probabilities(String name) {
    return evalSets.probabilities(session, name);
  }

  /**
   * The model's class probabilities for {@code count} images of floats in [0, 1], one after another
   * in {@code pixels}, each of the model's input size: the inference pass (no dropout, the moving
   * statistics) on a fed batch, in chunks of the evaluation chunk.
   */
  public float[][] probabilities(float[] pixels, int count) {
    return predictor.probabilities(session, pixels, count);
  }

  public long globalStep() {
    return train.globalStep(session);
  }

  public void setGlobalStep(long step) {
    train.setGlobalStep(session, step);
  }

  /** The learning rate the next step uses (the schedule's value at the global step). */
  public double learningRate() {
    return train.learningRate(session);
  }

  /**
   * Sets a constant learning rate for the steps that follow (Keras' {@code optimizer.learning_rate
   * = ...}, as ReduceLROnPlateau does); a schedule cannot be set.
   */
  public void setLearningRate(double lr) {
    if (spec.optimizer().schedule() != null) {
      throw new IllegalStateException("the learning rate follows a schedule");
    }
    train.setLearningRate(session, lr);
  }

  /** A copy of every weight's current value, by variable name (the caller closes it). */
  public WeightSnapshot weightValues() {
    return weights.snapshot(session);
  }

  /** Sets every weight to {@code values} (by variable name), as Keras' {@code set_weights}. */
  public void setWeightValues(Map<String, ? extends Tensor> values) {
    weights.assign(session, values);
  }

  /** Sets every weight to the snapshot's values, as Keras' {@code set_weights}. */
  public void setWeightValues(WeightSnapshot values) {
    weights.assign(session, values.asMap());
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
        graph, session, train.optimizer(), weights.variables(), spec.optimizer(), spec.model());
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
}
