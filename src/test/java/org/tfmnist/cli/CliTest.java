package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/** The CLI end to end on small slices: train, evaluate, export, and bad input. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CliTest {

  @TempDir Path tmp;

  /** Exit code, stdout, stderr. */
  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      int code =
          Main.commandLine()
              .setOut(new java.io.PrintWriter(o, true))
              .setErr(new java.io.PrintWriter(e, true))
              .execute(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex + " in " + text);
    return Double.parseDouble(m.group(1));
  }

  /** The arguments with the project's data directory appended. */
  private static String[] withData(String... args) {
    String[] r = Arrays.copyOf(args, args.length + 2);
    r[args.length] = "--data-dir";
    r[args.length + 1] = TestData.dataRoot().toString();
    return r;
  }

  @Test
  void summaryPrintsTheTutorialsParameterCounts() {
    Run r = cli("summary", "--preset", "mlp-small");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Total params: 118,282"), r.out());
    assertTrue(r.out().contains("validation_split 0.2"), r.out());
  }

  @Test
  void trainEvaluateAndExportAgree() throws IOException {
    TestData.mnist();
    Path models = tmp.resolve("models");
    Path ckpt = tmp.resolve("ckpt");
    Run train =
        cli(
            withData(
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
                "3",
                "--models-dir",
                models.toString(),
                "--checkpoint-dir",
                ckpt.toString(),
                "--progress",
                "lines"));
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("Epoch 1/1"), train.out());
    assertTrue(
        train
            .out()
            .matches(
                "(?s).*40/40 \\[=+\\] - .* - loss: .* - accuracy: .*"
                    + " - val_loss: .* - val_accuracy: .*"),
        train.out());
    double trained = number(train.out(), "test accuracy: ([0-9.]+)");
    double reloaded = number(train.out(), "reloaded test accuracy ([0-9.]+)");
    assertEquals(trained, reloaded, 1e-9);
    assertTrue(trained > 0.7, train.out());
    assertTrue(Files.isRegularFile(models.resolve("mlp/1/saved_model.pb")));
    assertTrue(Files.isRegularFile(models.resolve("mlp/1/assets.extra/history.csv")));
    assertTrue(Files.isRegularFile(ckpt.resolve("epoch-0001/state.json")));

    Run eval =
        cli(withData("evaluate", "--model", models.resolve("mlp").toString(), "--limit", "1000"));
    assertEquals(0, eval.code(), eval.err());
    assertEquals(trained, number(eval.out(), "test accuracy: ([0-9.]+)"), 1e-9);
    assertTrue(eval.out().contains("confusion matrix"), eval.out());

    Path pics = tmp.resolve("pics");
    for (String[] show :
        new String[][] {
          {
            "show",
            "predictions",
            "--model",
            models.resolve("mlp").toString(),
            "--wrong",
            "--count",
            "9",
            "-o",
            pics.resolve("wrong.png").toString()
          },
          {
            "show",
            "confusion",
            "--model",
            models.resolve("mlp").toString(),
            "-o",
            pics.resolve("confusion.png").toString()
          },
          {
            "show",
            "history",
            models.resolve("mlp").toString(),
            "-o",
            pics.resolve("history.png").toString()
          },
          {"show", "history", ckpt.toString(), "-o", pics.resolve("history-ckpt.png").toString()},
          {"show", "samples", "--count", "6", "-o", pics.resolve("samples.png").toString()}
        }) {
      Run r = cli(show[1].equals("history") ? show : withData(show));
      assertEquals(0, r.code(), String.join(" ", show) + ": " + r.err());
      assertTrue(r.out().startsWith("Wrote "), r.out());
    }
    try (var s = Files.list(pics)) {
      assertEquals(5, s.count());
    }

    Run export = cli("export", "--checkpoint", ckpt.toString(), "--models-dir", models.toString());
    assertEquals(0, export.code(), export.err());
    Run eval2 =
        cli(
            withData(
                "evaluate",
                "--model",
                models.resolve("mlp/2").toString(),
                "--limit",
                "1000",
                "--format",
                "json"));
    assertEquals(0, eval2.code(), eval2.err());
    assertEquals(trained, number(eval2.out(), "\"accuracy\" ?: ?([0-9.]+)"), 1e-9);
  }

  @Test
  void aTruncatedIdxFileIsOneLineAndExitCodeOne() throws IOException {
    Path mnist = TestData.mnistDir();
    byte[] images = Files.readAllBytes(mnist.resolve("t10k-images-idx3-ubyte"));
    Path cut = Files.write(tmp.resolve("cut-images"), Arrays.copyOf(images, 50_000));
    Run r =
        cli(
            "evaluate",
            "--model",
            tmp.toString(),
            "--images",
            cut.toString(),
            "--labels",
            mnist.resolve("t10k-labels-idx1-ubyte").toString());
    assertEquals(1, r.code());
    String err = r.err().strip();
    assertFalse(err.contains("\n"), err);
    assertTrue(err.startsWith("tf-mnist: error: " + cut + ": truncated"), err);
    assertFalse(err.contains("Exception"), err);
  }

  @Test
  void aMissingModelIsOneLine() {
    Run r = cli(withData("evaluate", "--model", tmp.resolve("nothing").toString()));
    assertEquals(1, r.code());
    assertTrue(r.err().strip().endsWith("no such model directory"), r.err());
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertEquals(2, cli("train", "--epochs", "many").code());
    Run r = cli("train", "--preset", "resnet");
    assertEquals(2, r.code());
    assertTrue(
        r.err()
            .contains(
                "'resnet' (expected one of: mlp, mlp-dropout, mlp-small, nielsen, cnn, cnn-best)"),
        r.err());
  }
}
