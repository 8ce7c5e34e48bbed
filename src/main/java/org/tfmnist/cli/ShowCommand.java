package org.tfmnist.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.tfmnist.data.Datasets;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.eval.Evaluation;
import org.tfmnist.export.ModelDirs;
import org.tfmnist.export.ServingModel;
import org.tfmnist.image.CanvasRenderer;
import org.tfmnist.image.PhotoRenderer;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.History;
import org.tfmnist.util.AtomicFile;
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
      ShowCommand.Photos.class,
      ShowCommand.Canvases.class
    })
final class ShowCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static void saved(Path out, java.awt.image.BufferedImage img) throws IOException {
    Pictures.writePng(img, out);
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
            "How many digits (default: ${DEFAULT-VALUE}, the Keras dropout MLP tutorial's 3x5).")
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

    @Override
    public Integer call() throws IOException {
      Datasets.Splits s = data.load();
      LabeledImages d =
          switch (split.toLowerCase(Locale.ROOT)) {
            case "train" -> s.train();
            case "test" -> s.test();
            default -> throw new IllegalArgumentException("--split must be train or test");
          };
      if (start < 0 || start >= d.count()) {
        throw new IllegalArgumentException("--start must be in 0-" + (d.count() - 1));
      }
      if (ascii) {
        System.out.print(DigitGrid.ascii(d.pixels(), start * d.pixelsPerImage()));
        System.out.println("label: " + d.label(start));
        return 0;
      }
      Pictures.Grid g =
          Pictures.samples(
              data.spec().title() + ", " + split + " set",
              d,
              count,
              start,
              random ? new Random(seed) : null);
      saved(
          out != null ? out : Path.of("samples-" + data.spec().id() + "-" + split + ".png"),
          g.image());
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
        description = "How many digits (default: ${DEFAULT-VALUE}).")
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

    @Override
    public Integer call() throws IOException {
      if (wrong && right) {
        throw new IllegalArgumentException("--wrong and --right exclude each other");
      }
      data.defaultTo(EvaluateCommand.trainedOn(model));
      LabeledImages test = data.load().test();
      Path dir = ModelDirs.resolveVersion(model);
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
          throw new IllegalArgumentException(
              dir + ": no " + which.name().toLowerCase(Locale.ROOT) + " predictions to show");
        }
        saved(
            out != null ? out : Path.of("predictions-" + name(dir).replace('/', '-') + ".png"),
            g.image());
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
      History h = find(dir);
      if (h.isEmpty()) {
        throw new IllegalArgumentException(dir + ": the history has no epochs");
      }
      String name = dir.toAbsolutePath().normalize().getFileName().toString();
      saved(
          out != null ? out : Path.of("history-" + name + ".png"),
          Charts.history(name, h, 1200, 480));
      return 0;
    }

    static History find(Path dir) throws IOException {
      for (Path p :
          new Path[] {dir.resolve("assets.extra/history.json"), dir.resolve("history.json")}) {
        if (Files.isRegularFile(p)) {
          return History.fromJson(Files.readString(p));
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
        throw new IllegalArgumentException(version + ": no history (assets.extra/history.json)");
      }
      return History.fromJson(Files.readString(p));
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

    @Override
    public Integer call() throws IOException {
      data.defaultTo(EvaluateCommand.trainedOn(model));
      LabeledImages test = data.load().test();
      Path dir = ModelDirs.resolveVersion(model);
      try (ServingModel m = ServingModel.load(dir)) {
        Evaluation e = Evaluation.of(m.predict(test), test);
        String title =
            String.format(
                Locale.ROOT,
                "%s on %s test: accuracy %.4f",
                name(dir),
                data.spec().id(),
                e.accuracy());
        saved(
            out != null ? out : Path.of("confusion-" + name(dir).replace('/', '-') + ".png"),
            Charts.confusion(title, e.confusion(), 720));
      }
      return 0;
    }
  }

  /**
   * Pictures of test digits {@code --start} onwards, drawn with the random seed {@code --seed}, one
   * file each in the output directory: what {@code show photos} and {@code show canvases} share.
   */
  abstract static class TestDigitPictures implements Callable<Integer> {

    @Option(
        names = "--start",
        defaultValue = "0",
        paramLabel = "I",
        description = "First test image (default: ${DEFAULT-VALUE}).")
    int start;

    @Option(
        names = "--seed",
        defaultValue = "1",
        paramLabel = "N",
        description = "Random seed of the drawing (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin DataOptions data;

    abstract int count();

    abstract Path outDir();

    /** Writes the {@code k}-th picture, of test image {@code i}. */
    abstract void write(int k, int i, float[] digit, int label, Random rnd) throws IOException;

    abstract String what();

    @Override
    public Integer call() throws IOException {
      LabeledImages test = data.load().test();
      Random rnd = new Random(seed);
      Files.createDirectories(outDir());
      for (int k = 0; k < count(); k++) {
        int i = (start + k) % test.count();
        write(k, i, test.imageAsFloats(i), test.label(i), rnd);
      }
      System.out.printf(
          Locale.ROOT, "Wrote %d %s of test digits to %s%n", count(), what(), outDir());
      return 0;
    }
  }

  /** {@code show photos}: photo-like pictures of test digits, to try predict on. */
  @Command(
      name = "photos",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Write photo-like pictures of test digits (dark ink on light, often "
              + "coloured paper, 48-280 px, off-centre, shading and noise; PNG and JPEG), named "
              + "INDEX-LABEL.png|jpg, to try `tf-mnist predict` on.")
  static final class Photos extends TestDigitPictures {

    @Option(
        names = "--count",
        defaultValue = "10",
        paramLabel = "N",
        description = "How many (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
        names = "--pen",
        defaultValue = "0",
        paramLabel = "PX",
        description =
            "Write with a pen this much thinner than MNIST's strokes (in 28-px "
                + "units; e.g. 0.6; default: ${DEFAULT-VALUE}).")
    double pen;

    @Option(
        names = "--out-dir",
        defaultValue = "photos",
        paramLabel = "DIR",
        description = "Where to write them (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    int count() {
      return count;
    }

    @Override
    Path outDir() {
      return outDir;
    }

    @Override
    String what() {
      return "pictures";
    }

    @Override
    void write(int k, int i, float[] digit, int label, Random rnd) throws IOException {
      Path f =
          outDir.resolve(
              String.format(Locale.ROOT, "%05d-%d.%s", i, label, k % 2 == 0 ? "png" : "jpg"));
      PhotoRenderer.write(PhotoRenderer.render(digit, rnd, pen), f, rnd);
    }
  }

  /** {@code show canvases}: test digits as a drawing page's canvas exports them. */
  @Command(
      name = "canvases",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Write test digits as 280x280 canvas drawings (crisp marker strokes at a "
              + "random size and place; white on black, black on white and dark ink on transparent "
              + "pixels, in turn), named INDEX-LABEL-STYLE.png, to try `tf-mnist predict` and the "
              + "server's :recognize route on.")
  static final class Canvases extends TestDigitPictures {

    @Option(
        names = "--count",
        defaultValue = "12",
        paramLabel = "N",
        description = "How many (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
        names = "--out-dir",
        defaultValue = "canvases",
        paramLabel = "DIR",
        description = "Where to write them (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    int count() {
      return count;
    }

    @Override
    Path outDir() {
      return outDir;
    }

    @Override
    String what() {
      return "canvas drawings";
    }

    @Override
    void write(int k, int i, float[] digit, int label, Random rnd) throws IOException {
      CanvasRenderer.Style style =
          CanvasRenderer.Style.values()[k % CanvasRenderer.Style.values().length];
      Path f = outDir.resolve(String.format(Locale.ROOT, "%05d-%d-%s.png", i, label, style.tag));
      AtomicFile.write(f, CanvasRenderer.png(CanvasRenderer.render(digit, style, rnd)));
    }
  }

  /** "cnn/1" for models/cnn/1. */
  static String name(Path versionDir) {
    Path abs = versionDir.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    return (parent == null ? "" : parent.getFileName() + "/") + abs.getFileName();
  }
}
