package org.tfmnist.train;

import java.util.Map;
import java.util.function.BiFunction;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.graph.OptimizerState;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.keras.KerasWeights;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.optim.OptimizerSpec;

/**
 * The training graph behind a {@link Model}, built when first needed and rebuilt when what it was
 * built for changes, with the model's state carried over.
 *
 * <p>The data a model trains on lives in its graph (a step is one session run with no feeds), so a
 * Keras user's freedoms cost a rebuild here: a model used before any data is seen (Keras builds it
 * from its {@code Input}) gets a graph with an empty training set; {@code fit} on other data or
 * with another batch size, a {@code compile} after the first build, or another dtype policy build a
 * new graph and hand it the weights (and, unless the optimizer changed, the optimizer's state: its
 * slots, {@code iterations} and learning rate), as Keras keeps them across those calls.
 */
final class ModelGraph implements AutoCloseable {

  /** The validation set's name in the graph. */
  static final String VALIDATION = "val";

  /** The batch size of a graph built before any {@code fit} (Keras' default). */
  static final int DEFAULT_BATCH = 32;

  private final Sequential network;
  private final long seed;
  private final ConfigProto config;
  private OptimizerSpec optimizer;
  private Loss loss;
  private DTypePolicy policy = DTypePolicy.FLOAT32;

  private TrainingGraph graph;

  /** The training data the graph holds; null for the empty set of a graph built without data. */
  private LabeledImages boundTo;

  /** The recipe changed since the graph was built: the next use rebuilds it. */
  private boolean stale;

  /** A new {@code compile}: the optimizer's state starts afresh in the next graph. */
  private boolean freshOptimizer;

  /** A loaded file's weights and optimizer state, until a graph takes them. */
  private KerasWeights pending;

  ModelGraph(Sequential network, long seed, ConfigProto config) {
    this.network = network;
    this.seed = seed;
    this.config = config;
  }

  void compile(OptimizerSpec optimizer, Loss loss) {
    if (optimizer == null || loss == null) {
      throw new IllegalArgumentException("compile needs an optimizer and a loss");
    }
    boolean hasState = graph != null || pending != null;
    this.optimizer = optimizer;
    this.loss = loss;
    stale |= graph != null;
    freshOptimizer |= hasState;
  }

  void dtypePolicy(DTypePolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException("a dtype policy is needed (float32 by default)");
    }
    stale |= graph != null && policy != this.policy;
    this.policy = policy;
  }

  /** Refuses {@code what} before a {@code compile}, as Keras does. */
  void requireCompiled(String what) {
    if (optimizer == null) {
      throw new IllegalStateException(
          "compile the model before " + what + ": model.compile(optimizer, loss)");
    }
  }

  OptimizerSpec optimizer() {
    return optimizer;
  }

  Loss loss() {
    return loss;
  }

  DTypePolicy policy() {
    return policy;
  }

  long seed() {
    return seed;
  }

  /** Whether a graph or a loaded file holds weights (else the first use initialises them). */
  boolean hasWeights() {
    return graph != null || pending != null;
  }

  /**
   * Weights and optimizer state to go on from: set in the graph now when there is one, else taken
   * by the first graph built.
   */
  void load(KerasWeights weights) {
    if (pending != null) {
      pending.close();
    }
    pending = weights;
    if (graph != null) {
      graph();
      try {
        take(graph);
      } finally {
        pending.close();
        pending = null;
      }
    }
  }

  private void take(TrainingGraph into) {
    into.setWeightValues(pending.weights());
    if (pending.optimizer() != null && !freshOptimizer && optimizer != null) {
      into.setOptimizerState(pending.optimizer());
    }
  }

  /**
   * Runs {@code use} on the current weights and, when {@code withOptimizer} and the model is
   * compiled, the optimizer's state (else null), then closes them: a loaded file's while no graph
   * has taken them, else the graph's (built now if need be).
   */
  <R> R withState(boolean withOptimizer, BiFunction<Map<String, TFloat32>, OptimizerState, R> use) {
    if (graph == null && pending != null) {
      return use.apply(pending.weights().asMap(), withOptimizer ? pending.optimizer() : null);
    }
    TrainingGraph live = graph();
    try (OptimizerState state = withOptimizer && optimizer != null ? live.optimizerState() : null;
        WeightSnapshot w = live.weightValues()) {
      return use.apply(w.asMap(), state);
    }
  }

  /** The current graph: built now when there is none (without data), rebuilt when stale. */
  TrainingGraph graph() {
    if (graph == null || stale) {
      LabeledImages data = boundTo != null ? boundTo : empty();
      rebuild(data, Map.of(), graph != null ? graph.batchSize() : DEFAULT_BATCH);
    }
    return graph;
  }

  /** The graph for training on {@code x} in batches of {@code batchSize}: rebuilt if need be. */
  TrainingGraph graphFor(LabeledImages x, LabeledImages validation, int batchSize) {
    if (graph == null || stale || x != boundTo || batchSize != graph.batchSize()) {
      ModelInputs.checkFits(network, x, "training");
      ModelInputs.checkFits(network, validation, "validation");
      rebuild(x, Map.of(VALIDATION, validation), batchSize);
      boundTo = x;
    }
    return graph;
  }

  /** No images, of the model's input size: a graph that holds weights before data is seen. */
  private LabeledImages empty() {
    long[] in = network.inputShape();
    if (in.length < 2) {
      throw new IllegalArgumentException(
          "the model's input must be images: use Input((28, 28)) or Input((28, 28, 1))");
    }
    return new LabeledImages(new byte[0], new byte[0], 0, (int) in[0], (int) in[1]);
  }

  private void rebuild(LabeledImages x, Map<String, LabeledImages> eval, int batchSize) {
    // Keras' compile() defaults stand in until the model is compiled: only the weights matter
    TrainingGraph.Spec spec =
        new TrainingGraph.Spec(
            network,
            loss != null ? loss : Loss.CATEGORICAL_CROSSENTROPY,
            optimizer != null ? optimizer : OptimizerSpec.rmsprop(),
            batchSize,
            seed,
            TrainingGraph.evalChunk(network),
            policy);
    TrainingGraph next = new TrainingGraph(spec, x, eval, config);
    try {
      if (pending != null) {
        take(next);
      } else if (graph != null) {
        carry(graph, next);
      }
    } catch (RuntimeException e) {
      next.close();
      throw e;
    }
    if (pending != null) {
      pending.close();
      pending = null;
    }
    if (graph != null) {
      graph.close();
    }
    graph = next;
    stale = false;
    freshOptimizer = false;
  }

  private void carry(TrainingGraph from, TrainingGraph to) {
    try (WeightSnapshot w = from.weightValues()) {
      to.setWeightValues(w);
    }
    if (!freshOptimizer) {
      try (OptimizerState s = from.optimizerState()) {
        to.setOptimizerState(s);
      }
    }
  }

  @Override
  public void close() {
    if (pending != null) {
      pending.close();
      pending = null;
    }
    if (graph != null) {
      graph.close();
      graph = null;
    }
  }
}
