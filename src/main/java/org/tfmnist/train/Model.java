package org.tfmnist.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.ConfigProto;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.keras.KerasModelConfig;
import org.tfmnist.keras.KerasModelFile;
import org.tfmnist.keras.KerasWeightsFile;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.optim.OptimizerSpec;

/**
 * Keras' {@code Model} on TensorFlow's native runtime: {@link #compile}, {@link #fit} with
 * callbacks returning the {@link History}, {@link #evaluate}, {@link #predict}, {@link #summary}
 * and {@link #export} as a SavedModel.
 *
 * <p>{@code fit} builds the whole training computation as one TensorFlow graph: the data sets live
 * in the graph, and a step is one session run with no feeds and no fetches. The loop around it is
 * Keras': per epoch a fresh shuffle, the steps, validation, the history, and the callbacks' hooks
 * in between. The random seed (weights, shuffles, dropout, augmentation) is the model's, as {@code
 * keras.utils.set_random_seed} would set it (42 unless given).
 *
 * <p>As in Keras:
 *
 * <pre>{@code
 * try (Model model = new Model(Sequential.of("mlp", Sequential.input(28, 28), new Flatten(),
 *     new Dense(128, Activation.RELU), new Dense(10, Activation.SOFTMAX)))) {
 *   model.compile(OptimizerSpec.adam(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
 *   model.fit(train, test, 10, 128, List.of(new EarlyStopping().patience(2)));
 *   Metrics score = model.evaluate(test);
 *   float[] probabilities = model.predict(Path.of("digit.png"));
 * }
 * }</pre>
 */
public final class Model implements AutoCloseable {

  /**
   * The random seed of a model given none, as if {@code keras.utils.set_random_seed(42)} had been
   * called: unlike Keras, where an unseeded run differs each time, two runs give the same figures.
   */
  public static final long DEFAULT_SEED = 42;

  private final Sequential network;
  private final ModelGraph g;
  private final Trainer trainer = new Trainer();
  private int verbose = 1;

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
    this.g = new ModelGraph(network, seed, config);
  }

  /**
   * {@code model.compile(optimizer=..., loss=...)}; accuracy is always measured. As in Keras, a
   * model may be compiled again: it keeps its weights, and the new optimizer starts afresh.
   */
  public Model compile(OptimizerSpec optimizer, Loss loss) {
    g.compile(optimizer, loss);
    return this;
  }

  /**
   * Keras' {@code keras.mixed_precision.set_global_policy(policy)} for this model: the type its
   * layers compute in while it trains and evaluates (float32 by default). Its variables, and the
   * SavedModel it exports, stay float32 either way.
   */
  public Model dtypePolicy(DTypePolicy policy) {
    g.dtypePolicy(policy);
    return this;
  }

  /** The type the layers compute in (float32 unless {@link #dtypePolicy(DTypePolicy)} said). */
  public DTypePolicy dtypePolicy() {
    return g.policy();
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
   * trains until {@code epochs} epochs are done (counting those done before, by an earlier {@code
   * fit} or a restored run) or a callback stops it, and returns the history of every epoch; the
   * progress is printed as {@link #verbose(int)} says. Another data set or batch size than the last
   * {@code fit}'s is taken as Keras takes it: the weights and the optimizer's state carry on.
   */
  public History fit(
      LabeledImages x,
      LabeledImages validation,
      int epochs,
      int batchSize,
      List<Callback> callbacks) {
    g.requireCompiled("fit");
    TrainingGraph graph = g.graphFor(x, validation, batchSize);
    return trainer.fit(this, graph, validation, epochs, callbacks, verbose);
  }

  /**
   * Keras' {@code model.build(input_shape)}, from the model's {@code Input}: creates the weights,
   * initialised from the random seed (or those of the Keras file it was loaded from). Every method
   * that needs weights builds the model on first use, so calling this is never required.
   */
  public Model build() {
    g.graph();
    return this;
  }

  /**
   * Builds the training graph for {@code x} (validated on {@code validation}) in batches of {@code
   * batchSize}, as {@link #fit} does; weights the model already has are kept.
   */
  public void build(LabeledImages x, LabeledImages validation, int batchSize) {
    g.requireCompiled("training");
    g.graphFor(x, validation, batchSize);
  }

  /**
   * Keras' {@code keras.saving.load_model(file)}: a Keras 3 {@code .keras} or a Keras 2 / {@code
   * tf.keras} {@code .h5} file, compiled as the file says (when it was compiled), with its weights
   * and its optimizer's state, so that training continues where it stopped. A layer, activation,
   * loss or option this library lacks is a {@link org.tfmnist.keras.KerasFileException} naming it
   * and its place in the model; so is a file that cannot be read.
   */
  public static Model loadKeras(Path file, long seed) {
    KerasModelFile.Loaded l = KerasModelFile.read(file);
    Model m = new Model(l.network(), seed, null);
    KerasModelConfig.Compiled c = l.config().compiled();
    if (c != null) {
      m.compile(c.optimizer(), c.loss());
    }
    m.g.load(l.weights());
    return m;
  }

  /** {@link #loadKeras(Path, long)} with random seed 42 (for dropout and augmentation). */
  public static Model loadKeras(Path file) {
    return loadKeras(file, DEFAULT_SEED);
  }

  /**
   * Keras' {@code model.save(file)}: writes a Keras 3 {@code .keras} file that {@code
   * keras.saving.load_model} (and {@link #loadKeras}) opens as this model, compiled as it is, with
   * its weights and, once compiled, its optimizer's state, so that Keras' {@code fit} continues
   * where this one stopped.
   */
  public void saveKeras(Path file) {
    g.withState(
        true,
        (w, state) -> {
          KerasModelFile.write(file, network, optimizer(), loss(), w, state);
          return file;
        });
  }

  /**
   * Keras' {@code model.save_weights(file)}: a Keras 3 {@code .weights.h5} file of the weights and,
   * once compiled, the optimizer's state, which {@code model.load_weights} reads in Keras.
   */
  public void saveWeights(Path file) {
    g.withState(
        true,
        (w, state) -> {
          KerasWeightsFile.write(file, network, w, state);
          return file;
        });
  }

  /**
   * Keras' {@code model.load_weights(file)}: the weights of a {@code .weights.h5} file written by
   * Keras or {@link #saveWeights}, for a model of the same layers, and the optimizer's state when
   * the file has it and the model is compiled.
   */
  public void loadWeights(Path file) {
    g.load(KerasWeightsFile.read(file, network, optimizer()));
  }

  /** Keras' {@code model.stop_training = True}: the loop ends after this epoch. */
  public void stopTraining() {
    trainer.stopTraining();
  }

  /** The epochs the current {@link #fit} runs to. */
  public int epochs() {
    return trainer.epochs();
  }

  /** For a callback restoring a run: {@code done} epochs with their history are done. */
  public void resumeAt(int done, History restored) {
    trainer.resumeAt(done, restored);
  }

  /** The running loss and accuracy of the epoch so far (a session run). */
  Metrics trainMetrics() {
    return g.graph().running();
  }

  /**
   * {@code model.evaluate(x, y)}: the loss and accuracy of the current weights on {@code data} (the
   * initial ones before any {@link #fit}); the model must be compiled, as in Keras.
   */
  public Metrics evaluate(LabeledImages data) {
    g.requireCompiled("evaluate");
    ModelInputs.checkFits(network, data, "evaluation");
    return g.graph().evaluate(data);
  }

  /** {@code model.predict(x)}: class probabilities, one row per image. */
  public float[][] predict(LabeledImages data) {
    ModelInputs.checkFits(network, data, "prediction");
    return g.graph().probabilities(data);
  }

  /**
   * {@code model.predict(x)} on pixels in [0, 1], white on black: one row per image, each of the
   * model's input size (784 floats for 28x28, row after row); returns the class probabilities, one
   * row of 10 per image.
   */
  public float[][] predict(float[][] images) {
    float[] flat = ModelInputs.flatten(network, images);
    return g.graph().probabilities(flat, images.length);
  }

  /**
   * The class probabilities of the digit in a PNG or JPEG picture, prepared as {@code tf-mnist
   * predict} prepares it (the digit found, centred and scaled as MNIST's are); a file that cannot
   * be read is a {@link org.tfmnist.data.BadInputException} naming it and why, a picture with no
   * digit a {@link org.tfmnist.image.DigitPreprocessor.NoDigitException}.
   */
  public float[] predict(Path picture) {
    return predict(new float[][] {ModelInputs.picture(picture)})[0];
  }

  /** Keras' summary table. */
  public String summary() {
    return network.summary();
  }

  /** The layers this model trains. */
  public Sequential network() {
    return network;
  }

  /** The random seed of the weights, the shuffles, dropout and augmentation. */
  public long seed() {
    return g.seed();
  }

  /** The optimizer {@link #compile} was given (null before). */
  public OptimizerSpec optimizer() {
    return g.optimizer();
  }

  /** The loss {@link #compile} was given (null before). */
  public Loss loss() {
    return g.loss();
  }

  /** The rate the next step uses ({@code model.optimizer.learning_rate}). */
  public double learningRate() {
    g.requireCompiled("the learning rate");
    return g.graph().learningRate();
  }

  /** Sets a constant rate for the next steps (refused when the rate follows a schedule). */
  public void setLearningRate(double lr) {
    g.requireCompiled("the learning rate");
    g.graph().setLearningRate(lr);
  }

  /** Whether the rate follows one of Keras' schedules (callbacks then leave it alone). */
  public boolean hasSchedule() {
    return optimizer() != null && optimizer().schedule() != null;
  }

  /** {@code model.optimizer.iterations}: the optimisation steps taken so far. */
  public long iterations() {
    return g.graph().globalStep();
  }

  /**
   * {@code model.get_weights()}: a copy of every weight, by variable name; the caller owns the
   * snapshot and closes it.
   */
  public WeightSnapshot weights() {
    return g.graph().weightValues();
  }

  /**
   * {@code model.set_weights(...)}, by variable name: every weight of the model must be in {@code
   * values}. The snapshot stays the caller's (this copies its values into the model).
   */
  public void setWeights(WeightSnapshot values) {
    g.graph().setWeightValues(values);
  }

  /**
   * The training graph (built now if need be).
   *
   * @hidden internal: for this library's command line and benchmarks; not part of the API
   */
  public TrainingGraph graph() {
    return g.graph();
  }

  /**
   * Keras' {@code model.export(dir)}: writes the model as a SavedModel into {@code dir}, which must
   * not exist, and returns it. Python's {@code tf.saved_model.load}, TensorFlow Serving and {@code
   * tf-mnist serve} load it.
   */
  public Path export(Path dir) {
    return export(dir, Map.of());
  }

  /** {@link #export(Path)} with {@code extraFiles} (name to text) under {@code assets.extra/}. */
  public Path export(Path dir, Map<String, String> extraFiles) {
    return g.withState(false, (w, state) -> SavedModelExporter.export(network, w, dir, extraFiles));
  }

  /**
   * Writes the model as the next version of TensorFlow Serving's model directory {@code modelDir}
   * (one more than its highest; 1 for a new one) and returns that version's directory.
   */
  public Path exportNextVersion(Path modelDir, Map<String, String> extraFiles) {
    return g.withState(
        false,
        (w, state) -> SavedModelExporter.exportNextVersion(network, w, modelDir, extraFiles));
  }

  /** Writes the model as version {@code version} (1 or more, not yet there) of {@code modelDir}. */
  public Path exportVersion(Path modelDir, long version, Map<String, String> extraFiles) {
    if (version < 1) {
      throw new IllegalArgumentException("a model version is 1 or more, not " + version);
    }
    return g.withState(
        false,
        (w, state) -> SavedModelExporter.exportVersion(network, w, modelDir, version, extraFiles));
  }

  /** The history so far (restored epochs included). */
  public History history() {
    return trainer.history();
  }

  @Override
  public void close() {
    g.close();
  }
}
