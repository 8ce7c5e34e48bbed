package org.tfmnist.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.tfmnist.data.BadInputException;
import org.tfmnist.data.Datasets;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.eval.Evaluation;
import org.tfmnist.export.ModelDirs;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.History;
import org.tfmnist.util.ErrorReason;
import org.tfmnist.util.Png;
import org.tfmnist.viz.Charts;
import org.tfmnist.viz.DigitGrid;
import org.tfmnist.viz.Pictures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tf-mnist show ...}: the tutorials' pictures as PNG files. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Draw the tutorials' pictures as PNG files: sample digits, predictions (wrong ones "
            + "in red), training curves, the confusion matrix.",
    subcommands = {
      ShowCommand.Samples.class,
      ShowCommand.Predictions.class,
      ShowCommand.HistoryPlot.class,
      ShowCommand.Confusion.class,
      ShowTestDigits.Photos.class,
      ShowTestDigits.Canvases.class
    })
final class ShowCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * The most digits a grid shows: 20 x 20, a PNG of about 2,700 x 3,500 pixels (100,000 took 88 s
   * and made 121 MB).
   */
  static final int MAX_GRID = 400;

  /** The PNG a command will write, checked before any work (its directories are made). */
  static Path output(Path out, String fallback) {
    Path p = out != null ? out : Path.of(fallback);
    OutputPaths.fileInNewDirectories(p);
    return p;
  }

  static void saved(Path out, java.awt.image.BufferedImage img) {
    try {
      Png.write(img, out);
    } catch (IOException e) {
      throw BadInputException.of(out, "cannot write the picture: " + ErrorReason.of(e));
    }
    System.out.printf(Locale.ROOT, "Wrote %s (%dx%d)%n", out, img.getWidth(), img.getHeight());
  }

  /** {@code show samples}: seeds 001 and 004. */
  @Command(
      name = "samples",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "A grid of data-set digits titled with their labels (seeds 001/004); "
              + "--ascii prints one digit's pixel values as the Keras MLP tutorial prints train_images[4].")
  static final class Samples implements Callable<Integer> {

    @Option(
        names = "--split",
        defaultValue = "train",
        paramLabel = "train|test",
        description = "Which split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(
        names = "--count",
        defaultValue = "15",
        paramLabel = "N",
        description =
            "How many digits, 1 to "
                + MAX_GRID
                + " (default: ${DEFAULT-VALUE}, the Keras dropout MLP tutorial's 3x5).")
    int count;

    @Option(
        names = "--start",
        defaultValue = "0",
        paramLabel = "I",
        description = "First index (default: ${DEFAULT-VALUE}).")
    int start;

    @Option(names = "--random", description = "A random choice instead of consecutive ones.")
    boolean random;

    @Option(
        names = "--seed",
        defaultValue = "0",
        paramLabel = "N",
        description = "Seed for --random.")
    long seed;

    @Option(names = "--ascii", description = "Print digit --start's pixel values instead.")
    boolean ascii;

    @Option(
        names = {"-o", "--out"},
        paramLabel = "FILE.png",
        description = "Output (default: samples-DATASET-SPLIT.png).")
    Path out;

    @Mixin DataOptions data;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String which = Usage.oneOf(spec, "--split", split, List.of("train", "test"));
      Usage.check(spec, count >= 1 && count <= MAX_GRID, "--count", count, "1 to " + MAX_GRID);
      Usage.check(spec, start >= 0, "--start", start, "0 or more");
      data.validate(spec);
      Path png = ascii ? null : output(out, "samples-" + data.spec().id() + "-" + which + ".png");
      Datasets.Splits s = data.load();
      LabeledImages d = which.equals("train") ? s.train() : s.test();
      Usage.check(spec, start < d.count(), "--start", start, "0 to " + (d.count() - 1) + " here");
      if (ascii) {
        System.out.print(DigitGrid.ascii(d.pixels(), start * d.pixelsPerImage()));
        System.out.println("label: " + d.label(start));
        return 0;
      }
      Pictures.Grid g =
          Pictures.samples(
              data.spec().title() + ", " + which + " set",
              d,
              count,
              start,
              random ? new Random(seed) : null);
      saved(png, g.image());
      return 0;
    }
  }

  /** {@code show predictions}: the Keras CNN tutorial's batchDraw. */
  @Command(
      name = "predictions",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Test digits titled actual:X predict:Y, wrong predictions in red (seed "
              + "002's batchDraw).")
  static final class Predictions implements Callable<Integer> {

    @Option(
        names = {"-m", "--model"},
        required = true,
        paramLabel = "DIR",
        description = "The SavedModel.")
    Path model;

    @Option(
        names = "--count",
        defaultValue = "20",
        paramLabel = "N",
        description = "How many digits, 1 to " + MAX_GRID + " (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--wrong", description = "Only misclassified digits.")
    boolean wrong;

    @Option(names = "--right", description = "Only correctly classified digits.")
    boolean right;

    @Option(
        names = "--seed",
        defaultValue = "0",
        paramLabel = "N",
        description = "Seed of the random choice.")
    long seed;

    @Option(
        names = {"-o", "--out"},
        paramLabel = "FILE.png",
        description = "Output (default: predictions-MODEL.png).")
    Path out;

    @Mixin DataOptions data;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (wrong && right) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--wrong and --right exclude each other: give one or neither");
      }
      Usage.check(spec, count >= 1 && count <= MAX_GRID, "--count", count, "1 to " + MAX_GRID);
      data.validate(spec);
      Path dir = ModelDirs.resolveVersion(model);
      Path png = output(out, "predictions-" + name(dir).replace('/', '-') + ".png");
      data.defaultTo(EvaluateCommand.trainedOn(model));
      LabeledImages test = data.load().test();
      try (ServingModel m = ServingModel.load(dir)) {
        float[][] p = m.predict(test);
        Pictures.Which which =
            wrong ? Pictures.Which.WRONG : right ? Pictures.Which.RIGHT : Pictures.Which.ALL;
        Pictures.Grid g =
            Pictures.predictions(
                name(dir)
                    + ": "
                    + (which == Pictures.Which.ALL
                        ? "random"
                        : which.name().toLowerCase(Locale.ROOT))
                    + " test predictions",
                test,
                p,
                which,
                count,
                new Random(seed));
        if (g.cells().isEmpty()) {
          throw new BadInputException(
              dir + ": no " + which.name().toLowerCase(Locale.ROOT) + " predictions to show");
        }
        saved(png, g.image());
      }
      return 0;
    }
  }

  /** {@code show history}: the Keras beginner's tutorial's curves. */
  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description =
          "Loss and accuracy per epoch, training and validation (as the Keras beginner's tutorial plots them), from the "
              + "history a training run wrote (a model, version or checkpoint directory).")
  static final class HistoryPlot implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "models/NAME[/VERSION] or checkpoints/NAME.")
    Path dir;

    @Option(
        names = {"-o", "--out"},
        paramLabel = "FILE.png",
        description = "Output (default: history-NAME.png).")
    Path out;

    @Override
    public Integer call() throws IOException {
      Path abs = dir.toAbsolutePath().normalize();
      String name = abs.getFileName() == null ? "root" : abs.getFileName().toString();
      Path png = output(out, "history-" + name + ".png");
      History h = find(dir);
      if (h.isEmpty()) {
        throw new BadInputException(dir + ": the history has no epochs");
      }
      saved(png, Charts.history(name, h, 1200, 480));
      return 0;
    }

    static History find(Path dir) throws IOException {
      for (Path p :
          new Path[] {dir.resolve("assets.extra/history.json"), dir.resolve("history.json")}) {
        if (Files.isRegularFile(p)) {
          return History.read(p);
        }
      }
      if (Files.isRegularFile(dir.resolve(Checkpoints.STATE))
          || Files.isDirectory(dir)
              && !Files.isRegularFile(dir.resolve("saved_model.pb"))
              && ModelDirs.highestVersion(dir).isEmpty()) {
        return Checkpoints.read(dir).state().history();
      }
      Path version = ModelDirs.resolveVersion(dir);
      Path p = version.resolve("assets.extra/history.json");
      if (!Files.isRegularFile(p)) {
        throw new BadInputException(version + ": no history (assets.extra/history.json)");
      }
      return History.read(p);
    }
  }

  /** {@code show confusion}: the confusion matrix as a heat map. */
  @Command(
      name = "confusion",
      mixinStandardHelpOptions = true,
      description = "The confusion matrix of a model on the test set, as a heat map with counts.")
  static final class Confusion implements Callable<Integer> {

    @Option(
        names = {"-m", "--model"},
        required = true,
        paramLabel = "DIR",
        description = "The SavedModel.")
    Path model;

    @Option(
        names = {"-o", "--out"},
        paramLabel = "FILE.png",
        description = "Output (default: confusion-MODEL.png).")
    Path out;

    @Mixin DataOptions data;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      data.validate(spec);
      Path dir = ModelDirs.resolveVersion(model);
      Path png = output(out, "confusion-" + name(dir).replace('/', '-') + ".png");
      data.defaultTo(EvaluateCommand.trainedOn(model));
      LabeledImages test = data.load().test();
      try (ServingModel m = ServingModel.load(dir)) {
        Evaluation e = Evaluation.of(m.predict(test), test);
        String title =
            String.format(
                Locale.ROOT,
                "%s on %s test: accuracy %.4f",
                name(dir),
                data.spec().id(),
                e.accuracy());
        saved(png, Charts.confusion(title, e.confusion(), 720));
      }
      return 0;
    }
  }

  /** "cnn/1" for models/cnn/1. */
  static String name(Path versionDir) {
    Path abs = versionDir.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    return (parent == null ? "" : parent.getFileName() + "/") + abs.getFileName();
  }
}
