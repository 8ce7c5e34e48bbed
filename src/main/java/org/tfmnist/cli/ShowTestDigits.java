package org.tfmnist.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.image.CanvasRenderer;
import org.tfmnist.image.PhotoRenderer;
import org.tfmnist.util.AtomicFile;
import org.tfmnist.util.Png;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Pictures of test digits {@code --start} onwards, drawn with the random seed {@code --seed}, one
 * file each in the output directory: what {@code show photos} and {@code show canvases} share.
 */
abstract class ShowTestDigits implements Callable<Integer> {

  /** At most one picture per test image (MNIST and Fashion-MNIST have 10,000). */
  static final int MAX_COUNT = 10_000;

  @Spec CommandSpec spec;

  @Option(
      names = "--start",
      defaultValue = "0",
      paramLabel = "I",
      description = "First test image (default: ${DEFAULT-VALUE}); after the last, the first.")
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

  /** The subclass's own options, checked with the shared ones. */
  void validate() {}

  @Override
  public Integer call() throws IOException {
    Usage.check(
        spec, count() >= 1 && count() <= MAX_COUNT, "--count", count(), "1 to " + MAX_COUNT);
    Usage.check(spec, start >= 0, "--start", start, "0 or more");
    validate();
    data.validate(spec);
    OutputPaths.directory(outDir());
    LabeledImages test = data.load().test();
    Usage.check(
        spec, start < test.count(), "--start", start, "0 to " + (test.count() - 1) + " here");
    Random rnd = new Random(seed);
    for (int k = 0; k < count(); k++) {
      int i = (start + k) % test.count();
      write(k, i, test.imageAsFloats(i), test.label(i), rnd);
    }
    System.out.printf(Locale.ROOT, "Wrote %d %s of test digits to %s%n", count(), what(), outDir());
    return 0;
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
  static final class Photos extends ShowTestDigits {

    /** A pen thinner by MNIST's whole stroke width (about 3 px at 28 px) leaves nothing. */
    static final double MAX_PEN = 3;

    @Option(
        names = "--count",
        defaultValue = "10",
        paramLabel = "N",
        description = "How many, 1 to " + MAX_COUNT + " (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
        names = "--pen",
        defaultValue = "0",
        paramLabel = "PX",
        description =
            "Write with a pen this much thinner than MNIST's strokes (in 28-px "
                + "units, 0 to 3; e.g. 0.6; default: ${DEFAULT-VALUE}).")
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
    void validate() {
      Usage.check(spec, pen >= 0 && pen <= MAX_PEN, "--pen", pen, "0 to 3");
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
  static final class Canvases extends ShowTestDigits {

    @Option(
        names = "--count",
        defaultValue = "12",
        paramLabel = "N",
        description = "How many, 1 to " + MAX_COUNT + " (default: ${DEFAULT-VALUE}).")
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
      AtomicFile.write(f, Png.encode(CanvasRenderer.render(digit, style, rnd)));
    }
  }
}
