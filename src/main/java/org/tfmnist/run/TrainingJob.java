package org.tfmnist.run;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tfmnist.data.Datasets;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.eval.Evaluation;
import org.tfmnist.export.ExportException;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.presets.Preset;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.train.Callback;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.History;
import org.tfmnist.train.Model;
import org.tfmnist.train.Recipe;
import org.tfmnist.train.TrainingException;
import org.tfmnist.train.callbacks.BackupAndRestore;
import org.tfmnist.train.callbacks.ModelCheckpoint;
import org.tfmnist.train.callbacks.Monitor;
import org.tfmnist.train.callbacks.ProgbarLogger;
import org.tfmnist.train.callbacks.TensorBoard;
import org.tfmnist.train.callbacks.TerminateOnNaN;
import org.tfmnist.util.Memory;
import org.tfmnist.util.Writable;

/**
 * A whole training run, as {@code make train-mlp} does it: split the data as the recipe says, build
 * the graph, fit, evaluate on the test set, export the SavedModel (with the history and the run's
 * metadata under {@code assets.extra/}), then reload the export and check it gives the same test
 * accuracy.
 */
public final class TrainingJob {

  /** What the run cost: the mean seconds per epoch trained, and the process' peak RSS. */
  public record Result(double secondsPerEpoch, long peakRssBytes) {}

  private final Preset preset;
  private final Supplier<Datasets.Splits> loader;
  private final TrainingOptions options;
  private final PrintStream out;
  private Datasets.Splits data;

  public TrainingJob(
      Preset preset, Datasets.Splits data, TrainingOptions options, PrintStream out) {
    this(preset, () -> data, options, out);
  }

  /**
   * A run that loads its data only once it holds the checkpoint directory: a second run on the same
   * checkpoints is then refused before it reads and verifies the data set.
   */
  public TrainingJob(
      Preset preset, Supplier<Datasets.Splits> loader, TrainingOptions options, PrintStream out) {
    this.preset = preset;
    this.loader = loader;
    this.options = options;
    this.out = out;
  }

  public Result run() {
    Checkpoints checkpoints =
        options.checkpointDir() == null
            ? null
            : new Checkpoints(options.checkpointDir(), options.keepCheckpoints());
    AutoCloseable lock = checkpoints == null ? null : checkpoints.lock();
    try {
      data = loader.get();
      return run(checkpoints);
    } finally {
      if (lock != null) {
        try {
          lock.close();
        } catch (Exception e) {
          // released with the process anyway
        }
      }
    }
  }

  /** What a run trains: its seed, recipe and data limits (a resumed run's, as recorded). */
  private record Plan(
      long seed,
      Recipe recipe,
      int trainLimit,
      int testLimit,
      Optional<Checkpoints.Saved> resumeFrom) {}

  /** The data a run sees: training, validation (the test set, or a split) and test. */
  private record Data(LabeledImages train, LabeledImages val, LabeledImages test) {}

  private Result run(Checkpoints checkpoints) {
    Plan plan = plan();
    checkWritable(checkpoints);
    Recipe recipe = plan.recipe();
    Data d = split(plan);
    out.printf(
        Locale.ROOT,
        "%s on %s: %,d training images, %,d validation (%s), %,d test; seed %d%n",
        preset.name(),
        data.spec().title(),
        d.train().count(),
        d.val().count(),
        recipe.validationSplit() > 0
            ? "last " + Math.round(recipe.validationSplit() * 100) + "% of the training set"
            : "the test set",
        d.test().count(),
        plan.seed());
    out.printf(
        Locale.ROOT,
        "%s, %s loss, batch %d, %d epochs%s%n",
        recipe.optimizer(),
        recipe.loss().kerasName(),
        recipe.batchSize(),
        recipe.epochs(),
        recipe.dtypePolicy() == DTypePolicy.FLOAT32
            ? ""
            : ", dtype policy " + recipe.dtypePolicy().kerasName());

    try (Model m = new Model(preset.model(), plan.seed(), options.config())) {
      m.dtypePolicy(recipe.dtypePolicy()).compile(recipe.optimizer(), recipe.loss());
      History history =
          m.fit(
              d.train(),
              d.val(),
              recipe.epochs(),
              recipe.batchSize(),
              callbacks(m, plan, checkpoints));
      Metrics testMetrics = m.evaluate(d.test());
      out.printf(
          Locale.ROOT,
          "test loss: %.4f - test accuracy: %.4f%n",
          testMetrics.loss(),
          testMetrics.accuracy());
      int from = plan.resumeFrom().map(x -> x.state().epoch()).orElse(0);
      double perEpoch =
          history.epochs().stream()
              .skip(from)
              .mapToDouble(History.Epoch::seconds)
              .average()
              .orElse(0);
      if (options.export()) {
        String metadata =
            TrainingMetadata.json(
                preset,
                data.spec(),
                recipe,
                plan.seed(),
                d.train(),
                d.val(),
                d.test(),
                history,
                testMetrics,
                perEpoch);
        export(m, d.test(), history, metadata);
      }
      return new Result(perEpoch, Memory.peakRss());
    }
  }

  /** A fresh run's seed and limits, or the recorded ones of the run to resume. */
  private Plan plan() {
    Resume.Plan r = options.resume();
    if (r == null) {
      long seed =
          options.seed() != null ? options.seed() : new SecureRandom().nextLong() & 0xFFFFFFFFL;
      return new Plan(
          seed, preset.recipe(), options.trainLimit(), options.testLimit(), Optional.empty());
    }
    return new Plan(
        r.seed(), preset.recipe(), r.trainLimit(), r.testLimit(), Optional.of(r.from()));
  }

  /** The limits applied, and Keras' validation_split: the last fraction of the training set. */
  private Data split(Plan plan) {
    LabeledImages train = data.train().limit(plan.trainLimit());
    LabeledImages test = data.test().limit(plan.testLimit());
    LabeledImages val = test;
    double f = plan.recipe().validationSplit();
    if (f > 0) {
      int splitAt = (int) (train.count() * (1 - f));
      val = train.slice(splitAt, train.count());
      train = train.slice(0, splitAt);
    }
    if (train.count() == 0 || val.count() == 0 || test.count() == 0) {
      throw new IllegalArgumentException(
          "nothing to train or evaluate on: "
              + train.count()
              + " training, "
              + val.count()
              + " validation and "
              + test.count()
              + " test images");
    }
    return new Data(train, val, test);
  }

  /**
   * Keras' {@code fit(callbacks=[...])} for this run, in this order: TerminateOnNaN first (a NaN
   * epoch is never checkpointed), the progress bar, the preset's own, the checkpoints, TensorBoard,
   * then those the command line asked for.
   */
  private List<Callback> callbacks(Model m, Plan plan, Checkpoints checkpoints) {
    Function<History.Epoch, Checkpoints.State> state =
        e ->
            Checkpoints.State.builder(preset.name())
                .dataset(data.spec().id())
                .epoch(e.epoch())
                .recipe(plan.recipe())
                .seed(plan.seed())
                .limits(plan.trainLimit(), plan.testLimit())
                .globalStep(m.iterations())
                .history(m.history())
                .model(preset.definition())
                .build();
    List<Callback> callbacks = new ArrayList<>();
    callbacks.add(new TerminateOnNaN());
    callbacks.add(new ProgbarLogger(out, options.live()));
    callbacks.addAll(preset.callbacks().apply(out));
    if (checkpoints != null) {
      callbacks.add(new BackupAndRestore(checkpoints, plan.resumeFrom(), state, out));
      if (options.best()) {
        callbacks.add(new ModelCheckpoint(checkpoints, new Monitor("val_accuracy"), state));
      }
    }
    if (options.tensorboard() != null) {
      callbacks.add(new TensorBoard(options.tensorboard()));
    }
    callbacks.addAll(options.callbacks());
    return callbacks;
  }

  /** Exports the model with its history and metadata, reloads it and checks its accuracy. */
  private void export(Model m, LabeledImages test, History history, String metadata) {
    Path modelDir = options.modelsDir().resolve(options.name());
    Map<String, String> extra = new LinkedHashMap<>(history.files());
    extra.put("training.json", metadata);
    Path exported =
        options.version() > 0
            ? m.exportVersion(modelDir, options.version(), extra)
            : m.exportNextVersion(modelDir, extra);
    Evaluation reloaded;
    try (ServingModel sm = ServingModel.load(exported)) {
      reloaded = Evaluation.of(sm.predict(test), test);
    }
    out.printf(
        Locale.ROOT,
        "Exported %s (signature %s: %s float32 %s -> %s, %s); " + "reloaded test accuracy %.4f%n",
        exported,
        SavedModelExporter.SIGNATURE,
        SavedModelExporter.INPUT,
        java.util.Arrays.toString(org.tfmnist.nn.Shapes.withBatch(m.network().inputShape()))
            .replace(" ", ""),
        SavedModelExporter.PROBABILITIES,
        SavedModelExporter.CLASS,
        reloaded.accuracy());
  }

  /**
   * Before the first epoch: the export's version must be free and the models and checkpoint
   * directories writable with room for the weights (checkpoints also hold the optimizer's slots).
   */
  private void checkWritable(Checkpoints checkpoints) {
    long weights = 4L * preset.model().paramCount();
    if (options.export()) {
      Path modelDir = options.modelsDir().resolve(options.name());
      if (options.version() > 0
          && Files.exists(modelDir.resolve(Long.toString(options.version())))) {
        throw new ExportException(
            modelDir.resolve(Long.toString(options.version()))
                + ": already exists; a version is never overwritten");
      }
      Writable.problem(modelDir, 2 * weights + (1 << 20))
          .ifPresent(
              p -> {
                throw new ExportException("cannot export there: " + p);
              });
    }
    if (checkpoints != null) {
      Writable.problem(checkpoints.dir(), 6 * weights + (1 << 20))
          .ifPresent(
              p -> {
                throw new TrainingException("cannot write checkpoints there: " + p);
              });
    }
  }
}
