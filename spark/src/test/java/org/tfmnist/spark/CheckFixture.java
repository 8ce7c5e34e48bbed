package org.tfmnist.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pictures, model and {@code tf-mnist predict} answers the Spark job is checked against, made
 * with the core's own launcher (bin/tf-mnist) in {@code target/check} and kept there for the next
 * run: 1,000 photo-like and 1,000 canvas-like digit pictures, four bad files, a small mlp trained
 * for one epoch on 5,000 images, and predict's JSON for all of them.
 */
final class CheckFixture {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DIR = Path.of("target/check").toAbsolutePath();
  static final Path PICS = DIR.resolve("pics");
  static final Path MODEL = DIR.resolve("models/mlp/1");
  static final Path PREDICT_JSON = DIR.resolve("predict.json");
  static final Path TEST_IMAGES = ROOT.resolve("data/mnist/t10k-images-idx3-ubyte");
  static final Path PREDICT_IDX_JSON = DIR.resolve("predict-idx.json");

  /** Images of the test set the pixel-table check takes (predict --index 0-999). */
  static final int IDX_IMAGES = 1000;

  /** Each launcher run's time limit: the slowest, predict on 2,004 files, takes about 10 s. */
  private static final long LIMIT_S = 300;

  private CheckFixture() {}

  static synchronized void make() throws IOException, InterruptedException {
    if (!Files.isDirectory(ROOT.resolve("data/mnist"))) {
      tfMnist(List.of("data"), null);
    }
    if (!Files.isDirectory(PICS.resolve("canvases"))) {
      tfMnist(List.of("show", "photos", "--count", "1000", "--out-dir", PICS + "/photos"), null);
      tfMnist(
          List.of(
              "show",
              "canvases",
              "--count",
              "1000",
              "--start",
              "1000",
              "--out-dir",
              PICS + "/canvases"),
          null);
    }
    writeBadFiles();
    if (!Files.isDirectory(MODEL)) {
      tfMnist(
          List.of(
              "train",
              "--preset",
              "mlp",
              "--epochs",
              "1",
              "--train-limit",
              "5000",
              "--test-limit",
              "1000",
              "--seed",
              "1",
              "--models-dir",
              DIR + "/models",
              "--name",
              "mlp",
              "--version",
              "1",
              "--no-checkpoints",
              "--progress",
              "lines"),
          null);
    }
    if (!Files.exists(PREDICT_JSON)) {
      Path tmp = DIR.resolve("predict.json.tmp");
      // exit 1: the bad files fail, as they should; their errors are in the JSON
      int rc =
          tfMnist(
              List.of("predict", "--format", "json", "-m", MODEL.toString(), PICS.toString()), tmp);
      if (rc != 1) {
        throw new IllegalStateException("tf-mnist predict exited " + rc + ", expected 1");
      }
      Files.move(tmp, PREDICT_JSON);
    }
    if (!Files.exists(PREDICT_IDX_JSON)) {
      Path tmp = DIR.resolve("predict-idx.json.tmp");
      int rc =
          tfMnist(
              List.of(
                  "predict",
                  "--format",
                  "json",
                  "-m",
                  MODEL.toString(),
                  "--index",
                  "0-" + (IDX_IMAGES - 1),
                  TEST_IMAGES.toString()),
              tmp);
      if (rc != 0) {
        throw new IllegalStateException("tf-mnist predict (IDX) exited " + rc + ", expected 0");
      }
      Files.move(tmp, PREDICT_IDX_JSON);
    }
  }

  /** A text file named .png, a PNG cut short, a JPEG cut short, an empty file. */
  private static void writeBadFiles() throws IOException {
    Path bad = Files.createDirectories(PICS.resolve("bad"));
    Files.writeString(bad.resolve("text.png"), "hello, not a picture\n");
    Files.write(bad.resolve("empty.png"), new byte[0]);
    try (var s = Files.list(PICS.resolve("canvases"))) {
      Path png = s.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
      Files.write(
          bad.resolve("truncated.png"), java.util.Arrays.copyOf(Files.readAllBytes(png), 400));
    }
    try (var s = Files.list(PICS.resolve("photos"))) {
      Path jpg = s.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
      Files.write(
          bad.resolve("truncated.jpg"), java.util.Arrays.copyOf(Files.readAllBytes(jpg), 2000));
    }
  }

  /** Runs bin/tf-mnist ARGS from the root, its stdout to {@code stdout} (or the log), in time. */
  private static int tfMnist(List<String> args, Path stdout)
      throws IOException, InterruptedException {
    Files.createDirectories(DIR);
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/tf-mnist").toString()));
    cmd.addAll(args);
    Path log = DIR.resolve("tf-mnist.log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(ROOT.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectOutput(
                stdout != null
                    ? ProcessBuilder.Redirect.to(stdout.toFile())
                    : ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    if (!p.waitFor(LIMIT_S, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(cmd + " ran past " + LIMIT_S + " s (log: " + log + ")");
    }
    int rc = p.exitValue();
    if (rc != 0 && stdout == null) {
      throw new IllegalStateException(cmd + " exited " + rc + " (log: " + log + ")");
    }
    return rc;
  }
}
