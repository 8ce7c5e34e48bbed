package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.run.KerasFiles;
import org.tfmnist.run.Resume;
import org.tfmnist.run.TrainingJob;
import org.tfmnist.run.TrainingOptions;
import org.tfmnist.train.Callback;
import org.tfmnist.train.Recipe;
import org.tfmnist.train.callbacks.CSVLogger;
import org.tfmnist.train.callbacks.EarlyStopping;
import org.tfmnist.train.callbacks.Monitor;
import org.tfmnist.train.callbacks.ReduceLROnPlateau;
import org.tfmnist.util.CpuInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tf-mnist train}: train a preset (or a Keras file's model), evaluate it, export it. */
@Command(
    name = "train",
    sortOptions = false,
    description = {
      "Train a preset (one of the classic Keras MNIST scripts, or Nielsen's numpy network) on "
          + "MNIST, evaluate it on the test set and export it as a SavedModel to "
          + "MODELS/NAME/VERSION. Every hyper-parameter defaults to the script's and can be "
          + "overridden."
    })
final class TrainCommand implements Callable<Integer> {

  // no standard -V/--version here: --version is the export's version number
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Spec CommandSpec spec;

  @Option(
      names = {"-p", "--preset"},
      defaultValue = "mlp",
      paramLabel = "NAME",
      completionCandidates = Usage.PresetNames.class,
      description = "One of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--model",
      paramLabel = "FILE",
      description =
          "Train the model a Keras file defines instead of a preset: Keras' JSON "
              + "(model.to_json()) or a .keras/.h5 file (its definition and compile(); not its "
              + "weights). Without a compile_config: RMSprop, categorical cross-entropy.")
  Path modelFile;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the preset's).")
  Integer epochs;

  @Option(
      names = {"--batch-size", "--batch"},
      paramLabel = "N",
      description = "Batch size (default: the preset's).")
  Integer batchSize;

  @Mixin OptimizerOptions opt;

  @Option(
      names = "--validation-split",
      paramLabel = "F",
      description =
          "Hold out the last F of the training set for validation (Keras' "
              + "validation_split); 0 validates on the test set.")
  Double validationSplit;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Seed for initialisation, shuffling and dropout (random if not given; the "
              + "seed used is printed and saved with the model and its checkpoints).")
  Long seed;

  @Option(
      names = "--train-limit",
      paramLabel = "N",
      defaultValue = "0",
      description = "Train on the first N training images only (0: all).")
  int trainLimit;

  @Option(
      names = "--test-limit",
      paramLabel = "N",
      defaultValue = "0",
      description = "Evaluate on the first N test images only (0: all).")
  int testLimit;

  @Mixin DataOptions data;

  @Mixin RuntimeOptions runtime;

  @Mixin PrecisionOption precision;

  @Mixin ModelOptions model;

  @Option(names = "--no-export", description = "Train and evaluate only.")
  boolean noExport;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description = "Where each epoch's checkpoint goes (default: checkpoints/NAME).")
  Path checkpointDir;

  @Option(
      names = "--keep-checkpoints",
      paramLabel = "N",
      defaultValue = "2",
      description = "How many epoch checkpoints to keep (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints;

  @Option(names = "--no-checkpoints", description = "Write no checkpoints.")
  boolean noCheckpoints;

  @Option(
      names = "--resume",
      description =
          "Continue from the newest checkpoint in the checkpoint directory (after a "
              + "crash or a kill): same recipe, seed and data; --epochs may extend the run.")
  boolean resume;

  @Option(
      names = "--best",
      description =
          "Also keep the checkpoint of the best validation accuracy in "
              + "CHECKPOINT-DIR/best (export it with: tf-mnist export --checkpoint DIR/best).")
  boolean best;

  @Option(
      names = "--tensorboard",
      paramLabel = "DIR",
      description =
          "Write loss, accuracy, validation figures and the learning rate as "
              + "TensorBoard scalars into DIR/train and DIR/validation.")
  Path tensorboard;

  @Option(
      names = "--early-stopping",
      paramLabel = "PATIENCE",
      description =
          "Keras' EarlyStopping: stop once --monitor has not improved for PATIENCE "
              + "epochs, and go back to the weights of the best epoch.")
  Integer earlyStopping;

  @Option(
      names = "--reduce-lr-on-plateau",
      paramLabel = "PATIENCE",
      description =
          "Keras' ReduceLROnPlateau: multiply the learning rate by 0.1 once --monitor "
              + "has not improved for PATIENCE epochs (not with a preset whose rate follows a "
              + "schedule, unless --lr is given).")
  Integer reduceLrOnPlateau;

  @Option(
      names = "--monitor",
      defaultValue = "val_loss",
      paramLabel = "val_loss|val_accuracy|loss|accuracy",
      description =
          "What --early-stopping and --reduce-lr-on-plateau watch (default: "
              + "${DEFAULT-VALUE}).")
  String monitor;

  @Option(
      names = "--csv-log",
      paramLabel = "FILE",
      description =
          "Keras' CSVLogger: a row per epoch (epoch from 0, accuracy, learning_rate, "
              + "loss, val_accuracy, val_loss) written as each epoch ends.")
  Path csvLog;

  @Option(
      names = "--progress",
      defaultValue = "auto",
      paramLabel = "auto|bar|lines",
      description =
          "Live progress bar (bar), one line per epoch (lines), or bar on a terminal "
              + "only (auto, the default).")
  String progress;

  /** Every value checked before any data is read, anything native runs or anything is deleted. */
  private void validate() {
    Usage.oneOf(spec, "--preset", preset, Usage.PresetNames.all());
    if (modelFile != null && spec.commandLine().getParseResult().hasMatchedOption("--preset")) {
      throw new ParameterException(
          spec.commandLine(), "--model and --preset name two models: give one of them");
    }
    opt.validate(spec);
    if (epochs != null) {
      Usage.check(spec, epochs >= 1 && epochs <= 100_000, "--epochs", epochs, "1 to 100000");
    }
    if (batchSize != null) {
      Usage.check(
          spec, batchSize >= 1 && batchSize <= 60_000, "--batch-size", batchSize, "1 to 60000");
    }
    if (validationSplit != null) {
      Usage.check(
          spec,
          validationSplit >= 0 && validationSplit < 1,
          "--validation-split",
          validationSplit,
          "0 (validate on the test set) or more, less than 1");
    }
    Usage.check(spec, trainLimit >= 0, "--train-limit", trainLimit, "0 (all) or more");
    Usage.check(spec, testLimit >= 0, "--test-limit", testLimit, "0 (all) or more");
    Usage.check(spec, keepCheckpoints >= 1, "--keep-checkpoints", keepCheckpoints, "1 or more");
    Usage.oneOf(spec, "--progress", progress, java.util.List.of("auto", "bar", "lines"));
    Usage.oneOf(
        spec,
        "--monitor",
        monitor,
        java.util.List.of("val_loss", "val_accuracy", "loss", "accuracy"));
    if (earlyStopping != null) {
      Usage.check(
          spec,
          earlyStopping >= 0 && earlyStopping <= 100_000,
          "--early-stopping",
          earlyStopping,
          "0 to 100000");
    }
    if (reduceLrOnPlateau != null) {
      Usage.check(
          spec,
          reduceLrOnPlateau >= 0 && reduceLrOnPlateau <= 100_000,
          "--reduce-lr-on-plateau",
          reduceLrOnPlateau,
          "0 to 100000");
      if (!opt.overridesRate() && Presets.get(preset).recipe().optimizer().schedule() != null) {
        throw new ParameterException(
            spec.commandLine(),
            "--reduce-lr-on-plateau: preset '"
                + preset
                + "' has a learning-rate schedule; give a constant rate with --lr");
      }
    }
    runtime.validate(spec);
    precision.validate(spec);
    precision.warnIfSlow(CpuInfo::read, System.err);
    model.validate(spec);
    data.validate(spec);
  }

  @Override
  public Integer call() {
    validate();
    Preset p = modelFile != null ? KerasFiles.preset(modelFile) : Presets.get(preset);
    Recipe recipe = overrides(p.recipe());
    String n = model.name(p.name());
    Path ckDir =
        noCheckpoints ? null : checkpointDir != null ? checkpointDir : Path.of("checkpoints", n);
    Resume.Plan resumed = null;
    if (resume) {
      Resume.Outcome o =
          Resume.read(
              ckDir,
              keepCheckpoints,
              new Resume.Asked(
                  p,
                  spec.commandLine().getParseResult().hasMatchedOption("--preset"),
                  modelFile,
                  this::overrides,
                  epochs,
                  seed,
                  trainLimit,
                  testLimit,
                  data.spec().id()));
      if (!o.differences().isEmpty()) {
        throw new ParameterException(
            spec.commandLine(),
            ckDir == null
                ? o.differences().get(0)
                : "--resume continues the run recorded in "
                    + ckDir
                    + ": "
                    + String.join("; ", o.differences()));
      }
      resumed = o.plan();
      p = resumed.preset();
      recipe = p.recipe();
      n = model.name(p.name());
    }
    Preset configured = p.withRecipe(recipe);
    boolean live =
        switch (progress.toLowerCase(Locale.ROOT)) {
          case "bar" -> true;
          case "lines" -> false;
          case "auto" -> System.console() != null;
          default -> throw new IllegalStateException("--progress was validated: " + progress);
        };
    if (csvLog != null) {
      OutputPaths.file(csvLog);
    }
    TrainingOptions o =
        TrainingOptions.builder(model.modelsDir, n)
            .version(model.version)
            .seed(seed)
            .limits(trainLimit, testLimit)
            .export(!noExport)
            .checkpoints(ckDir, keepCheckpoints)
            .resume(resumed)
            .best(best)
            .live(live)
            .config(runtime.config())
            .tensorboard(tensorboard)
            .callbacks(callbacks())
            .build();
    TrainingJob.Result r = new TrainingJob(configured, data::load, o, System.out).run();
    System.out.printf(
        Locale.ROOT,
        "%.2f s/epoch on average; peak RSS %.0f MB%n",
        r.secondsPerEpoch(),
        r.peakRssBytes() / 1e6);
    return 0;
  }

  /** The callbacks the flags switch on, with Keras' defaults for the rest. */
  private List<Callback> callbacks() {
    List<Callback> cbs = new ArrayList<>();
    Monitor watched = new Monitor(monitor);
    if (reduceLrOnPlateau != null) {
      cbs.add(new ReduceLROnPlateau(watched, 0.1, reduceLrOnPlateau, 1e-4, 0, 0, System.out));
    }
    if (earlyStopping != null) {
      cbs.add(new EarlyStopping(watched, 0, earlyStopping, true, System.out));
    }
    if (csvLog != null) {
      cbs.add(new CSVLogger(csvLog, resume));
    }
    return cbs;
  }

  Recipe overrides(Recipe r) {
    Recipe out = precision.applyTo(r.withOptimizer(opt.applyTo(r.optimizer())));
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
}
