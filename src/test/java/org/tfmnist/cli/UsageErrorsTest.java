package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestModels;

/**
 * Bad option values are picocli usage errors (exit 2) found before anything is read, run or
 * deleted; help works on every command; a data file with no images is one line, exit 1.
 */
@Timeout(120)
class UsageErrorsTest {

  @TempDir Path tmp;

  @Test
  void badValuesAreUsageErrorsBeforeAnythingRuns() {
    String ck = tmp.resolve("ck").toString();
    String[][] cases = {
      {"--preset", "train", "--preset", "resnet"},
      {"--optimizer", "train", "--optimizer", "lbfgs"},
      {"--epochs", "train", "--epochs", "-1"},
      {"--batch-size", "train", "--batch-size", "0"},
      {"--validation-split", "train", "--validation-split", "1.5"},
      {"--train-limit", "train", "--train-limit", "-5"},
      {"--test-limit", "train", "--test-limit", "-1"},
      {"--lr", "train", "--lr", "-0.1"},
      {"--keep-checkpoints", "train", "--keep-checkpoints", "0"},
      {"--progress", "train", "--progress", "fancy"},
      {"--precision", "train", "--precision", "mixed_float16"},
      {"--precision", "bench", "--precision", "bf16"},
      {"--intra-op-threads", "train", "--intra-op-threads", "-1"},
      {"--intra-op-threads", "train", "--intra-op-threads", "100000"},
      {"--inter-op-threads", "bench", "--inter-op-threads", "-3"},
      {"--name", "train", "--name", "../../escape"},
      {"--name", "train", "--name", "a/b"},
      {"--version", "train", "--version", "-2"},
      {"--dataset", "train", "--dataset", "cifar"},
      {"--format", "evaluate", "-m", "models/x", "--format", "xml"},
      {"--test-limit", "evaluate", "-m", "models/x", "--limit", "-1"},
      {"--test-limit", "evaluate", "-m", "models/x", "--test-limit", "-1"},
      {"--format", "predict", "--format", "xml", "x.png"},
      {"--index", "predict", "--index", "9-3", "x.png"},
      {"--preset", "bench", "--preset", "resnet"},
      {"--preset", "summary", "--preset", "resnet"},
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length + 2);
      args[args.length - 2] = "--checkpoint-dir";
      args[args.length - 1] = ck;
      if (!c[1].equals("train")) {
        args = java.util.Arrays.copyOfRange(c, 1, c.length);
      }
      CliTest.Run r = CliTest.cli(args);
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().contains(c[0]), String.join(" ", args) + ": " + r.err());
      assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }
    assertFalse(Files.exists(tmp.resolve("ck")), "nothing written");
  }

  @Test
  void aLearningRateOutOfRangeStatesTheRange() {
    for (String lr : new String[] {"1e30", "0", "NaN"}) {
      CliTest.Run r = CliTest.cli("train", "--lr", lr);
      assertEquals(2, r.code(), r.err());
      assertEquals(
          "Invalid value for option '--lr': "
              + Double.parseDouble(lr)
              + " (must be more than 0 and less than 1000000)",
          r.err().lines().findFirst().orElseThrow());
    }
  }

  @Test
  void zeroEpochsIsAUsageErrorAndCreatesNothing() throws IOException {
    Path work = Files.createDirectories(tmp.resolve("work"));
    CliTest.Run r =
        CliTest.cli(
            "train",
            "--epochs",
            "0",
            "--checkpoint-dir",
            work.resolve("ck").toString(),
            "--models-dir",
            work.resolve("models").toString(),
            "--data-dir",
            work.resolve("data").toString(),
            "--csv-log",
            work.resolve("log.csv").toString());
    assertEquals(2, r.code(), r.err());
    // a usage error is picocli's: the bad value in one line, then the command's usage
    List<String> err = r.err().lines().toList();
    assertEquals("Invalid value for option '--epochs': 0 (must be 1 to 100000)", err.get(0));
    assertTrue(err.get(1).startsWith("Usage: tf-mnist train "), r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    assertEquals("", r.out(), "nothing ran");
    try (Stream<Path> left = Files.list(work)) {
      assertEquals(List.of(), left.toList(), "nothing created");
    }
  }

  @Test
  void helpWorksWhereVersionIsTheExportsNumber() {
    for (String cmd :
        new String[] {
          "train", "export", "serve", "predict", "evaluate", "bench", "summary", "show", "data"
        }) {
      CliTest.Run r = CliTest.cli(cmd, "--help");
      assertEquals(0, r.code(), cmd + ": " + r.err());
      assertTrue(r.out().startsWith("Usage: tf-mnist " + cmd), r.out());
    }
    assertTrue(
        CliTest.cli("train", "--help")
            .out()
            .contains("One of: mlp, mlp-dropout, mlp-small, nielsen, cnn"),
        "the presets, cnn included");
  }

  @Test
  void dataWithNoImagesIsOneLine() throws IOException {
    Path images = tmp.resolve("empty-images-idx3-ubyte");
    Path labels = tmp.resolve("empty-labels-idx1-ubyte");
    Files.write(
        images, ByteBuffer.allocate(16).putInt(0x803).putInt(0).putInt(28).putInt(28).array());
    Files.write(labels, ByteBuffer.allocate(8).putInt(0x801).putInt(0).array());
    Path model = tmp.resolve("m/1");
    TestModels.copy(TestModels.mlp(), model);
    CliTest.Run e =
        CliTest.cli(
            "evaluate",
            "-m",
            model.toString(),
            "--images",
            images.toString(),
            "--labels",
            labels.toString());
    assertEquals(1, e.code(), e.out() + e.err());
    assertEquals(
        "tf-mnist: error: " + images + ": holds no images; nothing to evaluate", e.err().strip());
    CliTest.Run p =
        CliTest.cli("predict", "--model", model.toString(), "--index", "0", images.toString());
    assertEquals(1, p.code(), p.err());
    assertTrue((p.out() + p.err()).contains(images + ": holds no images"), p.out() + p.err());
    assertFalse((p.out() + p.err()).contains("outside"), p.out());
  }
}
