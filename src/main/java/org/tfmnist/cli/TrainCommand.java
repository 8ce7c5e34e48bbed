package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tfmnist.data.Datasets;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.run.TrainingJob;
import org.tfmnist.train.Recipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tf-mnist train}: train a preset, evaluate it, export it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Train a preset (a seed's Keras script) on MNIST, evaluate it on the test set and export "
          + "it as a SavedModel to MODELS/NAME/VERSION. Every hyper-parameter defaults to the "
          + "seed's and can be overridden.",
      "Presets: mlp (seed 000), mlp-dropout (002/004), mlp-small (003), nielsen (001)."
    })
final class TrainCommand implements Callable<Integer> {

  @Option(names = {"-p", "--preset"}, defaultValue = "mlp", paramLabel = "NAME",
      description = "mlp, mlp-dropout, mlp-small or nielsen (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs (seed's default).")
  Integer epochs;

  @Option(names = {"--batch-size", "--batch"}, paramLabel = "N",
      description = "Batch size (seed's default).")
  Integer batchSize;

  @Option(names = "--optimizer", paramLabel = "sgd|rmsprop|adam|adadelta",
      description = "Optimizer, with Keras' defaults unless overridden below.")
  String optimizer;

  @Option(names = {"--lr", "--learning-rate"}, paramLabel = "X", description = "Learning rate.")
  Double lr;

  @Option(names = "--momentum", paramLabel = "X", description = "SGD/RMSprop momentum.")
  Double momentum;

  @Option(names = "--nesterov", description = "SGD with Nesterov momentum.")
  Boolean nesterov;

  @Option(names = "--rho", paramLabel = "X", description = "RMSprop/Adadelta decay rho.")
  Double rho;

  @Option(names = "--beta1", paramLabel = "X", description = "Adam beta_1.")
  Double beta1;

  @Option(names = "--beta2", paramLabel = "X", description = "Adam beta_2.")
  Double beta2;

  @Option(names = "--epsilon", paramLabel = "X", description = "Optimizer epsilon.")
  Double epsilon;

  @Option(names = "--validation-split", paramLabel = "F",
      description = "Hold out the last F of the training set for validation (Keras' "
          + "validation_split); 0 validates on the test set.")
  Double validationSplit;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed for initialisation, shuffling and dropout (random if not given; the "
          + "seed used is printed and saved with the model and its checkpoints).")
  Long seed;

  @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0",
      description = "Train on the first N training images only (0: all).")
  int trainLimit;

  @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0",
      description = "Evaluate on the first N test images only (0: all).")
  int testLimit;

  @Mixin DataOptions data;

  @Mixin RuntimeOptions runtime;

  @Mixin ModelOptions model;

  @Option(names = "--no-export", description = "Train and evaluate only.")
  boolean noExport;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR",
      description = "Where each epoch's checkpoint goes (default: checkpoints/NAME).")
  Path checkpointDir;

  @Option(names = "--keep-checkpoints", paramLabel = "N", defaultValue = "2",
      description = "How many epoch checkpoints to keep (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints;

  @Option(names = "--no-checkpoints", description = "Write no checkpoints.")
  boolean noCheckpoints;

  @Option(names = "--resume",
      description = "Continue from the newest checkpoint in the checkpoint directory (after a "
          + "crash or a kill): same recipe, seed and data; --epochs may extend the run.")
  boolean resume;

  @Option(names = "--best",
      description = "Also keep the checkpoint of the best validation accuracy in "
          + "CHECKPOINT-DIR/best (export it with: tf-mnist export --checkpoint DIR/best).")
  boolean best;

  @Option(names = "--tensorboard", paramLabel = "DIR",
      description = "Write loss, accuracy, validation figures and the learning rate as "
          + "TensorBoard scalars into DIR/train and DIR/validation.")
  Path tensorboard;

  @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|bar|lines",
      description = "Live progress bar (bar), one line per epoch (lines), or bar on a terminal "
          + "only (auto, the default).")
  String progress;

  @Override
  public Integer call() {
    Preset p = Presets.get(preset);
    Recipe recipe = overrides(p.recipe());
    Preset configured = new Preset(p.name(), p.seed(), p.description(), p.model(), recipe);
    if (resume && (optimizer != null || lr != null || momentum != null || nesterov != null
        || rho != null || beta1 != null || beta2 != null || epsilon != null || batchSize != null
        || validationSplit != null || trainLimit != 0 || testLimit != 0)) {
      throw new IllegalArgumentException("--resume continues the checkpoint's recipe and data; "
          + "only --epochs may change");
    }
    String n = model.name(p.name());
    boolean live = switch (progress.toLowerCase(Locale.ROOT)) {
      case "bar" -> true;
      case "lines" -> false;
      case "auto" -> System.console() != null;
      default -> throw new IllegalArgumentException("--progress must be auto, bar or lines");
    };
    Datasets.Splits splits = data.load();
    TrainingJob.Options o = new TrainingJob.Options(model.modelsDir, n, model.version, seed,
        trainLimit, testLimit, !noExport,
        noCheckpoints ? null : checkpointDir != null ? checkpointDir : Path.of("checkpoints", n),
        keepCheckpoints, resume, best, live, runtime.config(), tensorboard);
    TrainingJob.Result r = new TrainingJob(configured, splits, o, System.out).run();
    System.out.printf(Locale.ROOT, "%.2f s/epoch on average; peak RSS %.0f MB%n",
        r.secondsPerEpoch(), r.peakRssBytes() / 1e6);
    return 0;
  }

  Recipe overrides(Recipe r) {
    OptimizerSpec o = optimizer != null
        ? OptimizerSpec.defaults(OptimizerSpec.Kind.parse(optimizer)) : r.optimizer();
    if (lr != null) {
      o = o.withLearningRate(positive("--lr", lr));
    }
    if (momentum != null) {
      o = o.withMomentum(momentum);
    }
    if (nesterov != null) {
      o = o.withNesterov(nesterov);
    }
    if (rho != null) {
      o = o.withRho(rho);
    }
    if (beta1 != null || beta2 != null) {
      o = o.withBetas(beta1 != null ? beta1 : o.beta1(), beta2 != null ? beta2 : o.beta2());
    }
    if (epsilon != null) {
      o = o.withEpsilon(epsilon);
    }
    Recipe out = r.withOptimizer(o);
    if (epochs != null) {
      out = out.withEpochs(epochs);
    }
    if (batchSize != null) {
      out = out.withBatchSize(batchSize);
    }
    if (validationSplit != null) {
      out = out.validationSplit(validationSplit);
    }
    return out;
  }

  private static double positive(String opt, double v) {
    if (!(v > 0)) {
      throw new IllegalArgumentException(opt + " must be positive, got " + v);
    }
    return v;
  }
}
