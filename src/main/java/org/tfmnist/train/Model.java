package org.tfmnist.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.graph.OptimizerState;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.keras.KerasModelConfig;
import org.tfmnist.keras.KerasModelFile;
import org.tfmnist.keras.KerasWeights;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;

/**
 * Keras' {@code Model} on TensorFlow's native runtime: {@link #compile}, {@link #fit} with
 * callbacks returning the {@link History}, {@link #evaluate}, {@link #predict}, {@link #summary}
 * and {@link #export} as a SavedModel.
 *
 * <p>{@code fit} builds the whole training computation as one graph ({@link TrainingGraph}): the
 * data sets live in the graph, and a step is one session run with no feeds and no fetches. The loop
 * around it is Keras': per epoch a fresh shuffle, the steps, validation, the history, and the
 * callbacks' hooks in between. The random seed (weights, shuffles, dropout, augmentation) is the
 * model's, as {@code keras.utils.set_random_seed} would set it (42 unless given).
 *
 * <p>As in Keras:
 *
 * <pre>{@code
 * Sequential lenet5 = Sequential.of("lenet5", Sequential.input(28, 28, 1),
 *     new Conv2D(6, 5, Activation.RELU).padding(Padding.SAME), new MaxPooling2D(),
 *     new Conv2D(16, 5, Activation.RELU), new MaxPooling2D(), new Flatten(),
 *     new Dense(120, Activation.RELU), new Dense(84, Activation.RELU),
 *     new Dense(10, Activation.SOFTMAX));
 * try (Model model = new Model(lenet5)) {
 *   model.compile(OptimizerSpec.adam(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
 *   model.fit(train, test, 10, 128, List.of(new EarlyStopping().patience(2)));
 *   EvaluationResult score = model.evaluate(test);
 *   float[] probabilities = model.predict(Path.of("digit.png"));
 * }
 * }</pre>
 */
public final class Model implements AutoCloseable {

  /** The validation set's name in the graph. */
  public static final String VALIDATION = "val";

  private final Sequential network;
  private final long seed;
  private final ConfigProto config;
  private OptimizerSpec optimizer;
  private Loss loss;
  private DTypePolicy policy = DTypePolicy.FLOAT32;
  private TrainingGraph graph;

  /** The weights (and optimizer state) of the Keras file loaded, until the graph takes them. */
  private KerasWeights loaded;

  private LabeledImages trainedOn;
  private History history = new History();
  private int initialEpoch;
  private int epochs;
  private boolean stopTraining;
  private int verbose = 1;

  /**
   * The random seed of a model given none, as if {@code keras.utils.set_random_seed(42)} had been
   * called: unlike Keras, where an unseeded run differs each time, two runs give the same figures.
   */
  public static final long DEFAULT_SEED = 42;

  /**
   * A model of {@code network} with random seed {@link #DEFAULT_SEED} and TensorFlow's default
   * session options.
   */
  public Model(Sequential network) {
    this(network, DEFAULT_SEED);
  }

  /** A model of {@code network} with random seed {@code seed}. */
  public Model(Sequential network, long seed) {
    this(network, seed, null);
  }

  /**
   * A model of {@code network} with random seed {@code seed} and TensorFlow's session options
   * {@code config} (threads, for instance); null for TensorFlow's defaults.
   */
  public Model(Sequential network, long seed, ConfigProto config) {
    this.network = network;
    this.seed = seed;
    this.config = config;
  }

  /** {@code model.compile(optimizer=..., loss=...)}; accuracy is always measured. */
  public Model compile(OptimizerSpec optimizer, Loss loss) {
    if (graph != null) {
      throw new IllegalStateException("compile before the first fit");
    }
    this.optimizer = optimizer;
    this.loss = loss;
    return this;
  }

  /**
   * Keras' {@code keras.mixed_precision.set_global_policy(policy)} for this model: the type its
   * layers compute in while it trains and evaluates (float32 by default). Its variables, and the
   * SavedModel it exports, stay float32 either way.
   */
  public Model dtypePolicy(DTypePolicy policy) {
    if (graph != null) {
      throw new IllegalStateException("set the dtype policy before the first fit");
    }
    this.policy = policy;
    return this;
  }

  public DTypePolicy dtypePolicy() {
    return policy;
  }

  /**
   * Keras' {@code verbose} argument of {@code fit}, for every later {@link #fit}: 1 (Keras'
   * default) prints Keras' progress to standard output, a live bar on a terminal and one line per
   * epoch otherwise; 2 prints one line per epoch; 0 prints nothing. A {@link
   * org.tfmnist.train.callbacks.ProgbarLogger} among the callbacks replaces this default one.
   */
  public Model verbose(int verbose) {
    if (verbose < 0 || verbose > 2) {
      throw new IllegalArgumentException("verbose must be 0, 1 or 2, not " + verbose);
    }
    this.verbose = verbose;
    return this;
  }

  /** The {@code verbose} setting {@link #fit} uses (1 unless changed). */
  public int verbose() {
    return verbose;
  }

  /**
   * {@code model.fit(x, validation_data=validation, epochs=..., batch_size=...)} with Keras' {@code
   * verbose=1} progress (see {@link #verbose(int)}) and no callbacks.
   */
  public History fit(LabeledImages x, LabeledImages validation, int epochs, int batchSize) {
    return fit(x, validation, epochs, batchSize, List.of());
  }

  /**
   * {@code model.fit(x, validation_data=validation, epochs=..., batch_size=..., callbacks=[...])}:
   * trains until {@code epochs} epochs are done (counting those a callback restored) or a callback
   * stops it, and returns the history of every epoch. As Keras with its default {@code verbose=1},
   * the progress is printed to standard output unless a {@link
   * org.tfmnist.train.callbacks.ProgbarLogger} is among the callbacks or {@link #verbose(int)} is
   * 0.
   */
  public History fit(
      LabeledImages x,
      LabeledImages validation,
      int epochs,
      int batchSize,
      List<Callback> callbacks) {
    if (optimizer == null) {
      throw new IllegalStateException("compile the model before fit");
    }
    if (graph == null) {
      build(x, validation, batchSize);
    } else if (x != trainedOn || batchSize != graph.batchSize()) {
      throw new IllegalStateException("this model's graph was built for other data or batches");
    }
    this.epochs = epochs;
    this.stopTraining = false;
    List<Callback> cbs = ModelInputs.withProgress(callbacks, verbose);
    cbs.forEach(c -> c.setModel(this));
    try {
      cbs.forEach(Callback::onTrainBegin);
      int steps = graph.stepsPerEpoch();
      for (int epoch = initialEpoch; epoch < epochs && !stopTraining; epoch++) {
        for (Callback c : cbs) {
          c.onEpochBegin(epoch + 1, steps);
        }
        long t0 = System.nanoTime();
        graph.startEpoch(epoch);
        for (int s = 1; s <= steps; s++) {
          graph.step();
          TrainingMetrics running = null;
          for (Callback c : cbs) {
            if (c.wantsBatchLogs(s)) {
              running = trainMetrics();
              break;
            }
          }
          for (Callback c : cbs) {
            c.onTrainBatchEnd(s, running);
          }
        }
        TrainingGraph.Metrics m = graph.trainMetrics();
        TrainingGraph.Metrics val = graph.evaluate(VALIDATION);
        double seconds = (System.nanoTime() - t0) / 1e9; // as Keras: validation included
        History.Epoch e =
            new History.Epoch(
                epoch + 1, m.loss(), m.accuracy(), val.loss(), val.accuracy(), seconds);
        history.add(e);
        for (Callback c : cbs) {
          c.onEpochEnd(e);
        }
        initialEpoch = epoch + 1;
      }
      cbs.forEach(Callback::onTrainEnd);
    } finally {
      for (Callback c : cbs) {
        if (c instanceof AutoCloseable closeable) {
          try {
            closeable.close();
          } catch (Exception ignored) {
            // a log that could not be closed loses nothing the run needs
          }
        }
      }
    }
    return history;
  }

  /**
   * Builds the training graph for {@code x} (validated on {@code validation}) in batches of {@code
   * batchSize}, as the first {@link #fit} does: the weights are then initialised, or those of the
   * Keras file the model was loaded from are set, with its optimizer's state.
   */
  public void build(LabeledImages x, LabeledImages validation, int batchSize) {
    if (optimizer == null) {
      throw new IllegalStateException("compile the model before it is built");
    }
    if (graph != null) {
      throw new IllegalStateException("the model is built already");
    }
    ModelInputs.checkFits(network, x, "training");
    ModelInputs.checkFits(network, validation, "validation");
    graph =
        new TrainingGraph(
            new TrainingGraph.Spec(
                network,
                loss,
                optimizer,
                batchSize,
                seed,
                TrainingGraph.evalChunk(network),
                policy),
            x,
            Map.of(VALIDATION, validation),
            config);
    trainedOn = x;
    if (loaded != null) {
      try (KerasWeights w = loaded) {
        graph.setWeightValues(w.weights());
        if (w.optimizer() != null) {
          graph.setOptimizerState(w.optimizer());
        }
      } finally {
        loaded = null;
      }
    }
  }

  /**
   * Keras' {@code keras.saving.load_model(file)}: a Keras 3 {@code .keras} or a Keras 2 / {@code
   * tf.keras} {@code .h5} file, compiled as the file says (when it was compiled), with its weights
   * and its optimizer's state, which the first {@link #build} or {@link #fit} takes, so that
   * training continues where Keras stopped. A layer, activation, loss or option this library lacks
   * is a {@link org.tfmnist.keras.KerasFileException} naming it and its place in the model.
   */
  public static Model loadKeras(Path file, long seed) {
    KerasModelFile.Loaded l = KerasModelFile.read(file);
    Model m = new Model(l.network(), seed, null);
    KerasModelConfig.Compiled c = l.config().compiled();
    if (c != null) {
      m.compile(c.optimizer(), c.loss());
    }
    m.loaded = l.weights();
    return m;
  }

  /** {@link #loadKeras(Path, long)} with random seed 42 (for dropout and augmentation). */
  public static Model loadKeras(Path file) {
    return loadKeras(file, 42);
  }

  /**
   * Keras' {@code model.save(file)}: writes a Keras 3 {@code .keras} file that {@code
   * keras.saving.load_model} opens as this model, compiled as it is, with its weights and, once it
   * has trained, its optimizer's state, so that Keras' {@code fit} continues where this one
   * stopped.
   */
  public void saveKeras(Path file) {
    if (graph == null && loaded != null) {
      KerasModelFile.write(file, network, optimizer, loss, loaded.weights(), loaded.optimizer());
      return;
    }
    try (OptimizerState state = optimizer == null ? null : built().optimizerState()) {
      withWeights(
          w -> {
            KerasModelFile.write(file, network, optimizer, loss, w, state);
            return file;
          });
    }
  }

  /** Keras' {@code model.stop_training = True}: the loop ends after this epoch. */
  public void stopTraining() {
    stopTraining = true;
  }

  /** The epochs the current {@link #fit} runs to. */
  public int epochs() {
    return epochs;
  }

  /** For a callback restoring a run: {@code done} epochs with their history are done. */
  public void resumeAt(int done, History restored) {
    this.initialEpoch = done;
    this.history = restored;
  }

  /** The running loss and accuracy of the epoch so far (a session run). */
  public TrainingMetrics trainMetrics() {
    TrainingGraph.Running r = built().running();
    return new TrainingMetrics(r.metrics().loss(), r.metrics().accuracy(), r.globalStep());
  }

  /**
   * {@code model.evaluate(x, y)}: the loss and accuracy of the current weights on {@code data},
   * once the model is built ({@link #build} or {@link #fit}).
   */
  public EvaluationResult evaluate(LabeledImages data) {
    TrainingGraph.Metrics m = built().evaluate(data);
    return new EvaluationResult(m.loss(), m.accuracy(), m.count());
  }

  /** {@code model.predict(x)}: class probabilities, one row per image. */
  public float[][] predict(LabeledImages data) {
    return built().probabilities(data);
  }

  /**
   * {@code model.predict(x)} on pixels in [0, 1], white on black: one row per image, each of the
   * model's input size (784 floats for 28x28, row after row); returns the class probabilities, one
   * row of 10 per image.
   */
  public float[][] predict(float[][] images) {
    float[] flat = ModelInputs.flatten(network, images);
    return built().probabilities(flat, images.length);
  }

  /**
   * The class probabilities of the digit in a PNG or JPEG picture, prepared as {@code tf-mnist
   * predict} prepares it (the digit found, centred and scaled as MNIST's are); a file that cannot
   * be read is a {@link org.tfmnist.data.DataException} naming it and why, a picture with no digit
   * a {@link org.tfmnist.image.DigitPreprocessor.NoDigitException}.
   */
  public float[] predict(Path picture) {
    return predict(new float[][] {ModelInputs.picture(picture)})[0];
  }

  /** Keras' summary table. */
  public String summary() {
    return network.summary();
  }

  public Sequential network() {
    return network;
  }

  public OptimizerSpec optimizer() {
    return optimizer;
  }

  /** The loss {@link #compile} was given (null before). */
  public Loss loss() {
    return loss;
  }

  /** The rate the next step uses ({@code model.optimizer.learning_rate}). */
  public double learningRate() {
    return built().learningRate();
  }

  /** Sets a constant rate for the next steps (refused when the rate follows a schedule). */
  public void setLearningRate(double lr) {
    built().setLearningRate(lr);
  }

  /** Whether the rate follows one of Keras' schedules (callbacks then leave it alone). */
  public boolean hasSchedule() {
    return optimizer.schedule() != null;
  }

  /** {@code model.get_weights()}, by variable name; the caller closes the tensors. */
  public Map<String, TFloat32> weights() {
    return built().weightValues();
  }

  /** {@code model.set_weights(...)}. */
  public void setWeights(Map<String, TFloat32> values) {
    built().setWeightValues(values);
  }

  /** The training graph, for callbacks that checkpoint or restore it. */
  public TrainingGraph graph() {
    return built();
  }

  /**
   * Writes the model as a SavedModel: version {@code version} of {@code modelDir}, or its next free
   * version when {@code version} is 0, with {@code extraFiles} under {@code assets.extra/}; returns
   * the version directory.
   */
  public Path export(Path modelDir, long version, Map<String, String> extraFiles) {
    return withWeights(
        w -> SavedModelExporter.exportVersion(network, w, modelDir, version, extraFiles));
  }

  /** Writes the model as a SavedModel into {@code versionDir}, which must not exist. */
  public void export(Path versionDir, Map<String, String> extraFiles) {
    withWeights(
        w -> {
          SavedModelExporter.export(network, w, versionDir, extraFiles);
          return versionDir;
        });
  }

  /** Runs {@code use} on the current weights, then closes them. */
  private <R> R withWeights(java.util.function.Function<Map<String, TFloat32>, R> use) {
    if (graph == null && loaded != null) {
      return use.apply(loaded.weights()); // a loaded file's, which the graph takes once built
    }
    Map<String, TFloat32> w = weights();
    try {
      return use.apply(w);
    } finally {
      TrainingGraph.closeAll(w);
    }
  }

  private TrainingGraph built() {
    if (graph == null) {
      throw new IllegalStateException("the model has no weights before it is built or fitted");
    }
    return graph;
  }

  /** The history so far (restored epochs included). */
  public History history() {
    return history;
  }

  @Override
  public void close() {
    if (loaded != null) {
      loaded.close();
      loaded = null;
    }
    if (graph != null) {
      graph.close();
      graph = null;
    }
  }
}
