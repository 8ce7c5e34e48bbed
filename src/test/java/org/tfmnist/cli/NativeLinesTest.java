package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.util.AtomicDir;

/**
 * A broken model or a failed write is one line on stderr through the launcher, as a user runs it:
 * TensorFlow's own warning lines (the failed op, an out-of-memory hint on a full disk) stay off
 * stderr unless TF_CPP_MIN_LOG_LEVEL asks for them, and the line says what is wrong with which
 * file.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NativeLinesTest {

  @TempDir Path tmp;

  /** Unpacks TensorFlow's natives first: a process with a file-size limit could not. */
  @BeforeAll
  static void loadTensorFlow() {
    assertFalse(org.tensorflow.TensorFlow.version().isEmpty());
  }

  private Path model() {
    Path dir = tmp.resolve("models/mlp/1");
    TestModels.copy(TestModels.mlp(), dir);
    return dir;
  }

  private static void assertOneLine(CliTest.Run r, String line) {
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals(line, r.err().strip(), "exactly this line on stderr");
  }

  @Test
  void corruptVariablesAreOneLineNamingTheShard() throws Exception {
    Path dir = model();
    Path shard = dir.resolve("variables/variables.data-00000-of-00001");
    long size = Files.size(shard);
    try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.WRITE)) {
      ch.truncate(1000);
    }
    Path png = tmp.resolve("digit.png");
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
        "png",
        png.toFile());
    CliTest.Run r =
        new Launcher(tmp)
            .run("true", Map.of(), "predict", "--model", dir.toString(), png.toString());
    assertOneLine(
        r,
        "tf-mnist: error: "
            + dir
            + ": the variables are corrupt: "
            + shard
            + " holds 1000 bytes, its index lists "
            + size
            + " (a truncated copy?)");
  }

  @Test
  void missingVariablesAreSaidToBeMissing() throws Exception {
    Path dir = model();
    AtomicDir.deleteTree(dir.resolve("variables"));
    CliTest.Run r =
        new Launcher(tmp)
            .run(
                "true",
                Map.of(),
                "evaluate",
                "--model",
                dir.toString(),
                "--data-dir",
                TestData.dataRoot().toString(),
                "--limit",
                "100");
    assertOneLine(
        r,
        "tf-mnist: error: "
            + dir
            + ": the variables are missing: "
            + dir.resolve("variables/variables.index"));
    assertFalse(r.err().contains("uninitialized"), r.err());
  }

  @Test
  void aFailedWriteIsOneLineAndTensorFlowsLinesComeBackOnRequest() throws Exception {
    CliTest.Run trained = CliTest.cli(TrainArgs.of(tmp, "--epochs", "1", "--no-export"));
    assertEquals(0, trained.code(), trained.err());
    Launcher launcher = new Launcher(tmp);
    String[] export = {
      "export", "-c", tmp.resolve("ck").toString(), "--models-dir", tmp.resolve("out").toString()
    };
    // 1 MiB in ulimit's 1,024-byte blocks: less than the MLP's weights, a write fails as on a full
    // disk
    CliTest.Run r = launcher.run("ulimit -f 1024", Map.of(), export);
    Path v = tmp.resolve("out/mlp/1");
    assertOneLine(
        r,
        "tf-mnist: error: "
            + v
            + ": cannot write the SavedModel: "
            + v.resolve("variables/variables.data-00000-of-00001")
            + ": File too large (nothing half-written is left)");

    CliTest.Run verbose =
        launcher.run("ulimit -f 1024", Map.of("TF_CPP_MIN_LOG_LEVEL", "0"), export);
    assertEquals(1, verbose.code(), verbose.err());
    assertTrue(
        verbose.err().contains(" W tensorflow/"), "TensorFlow's own lines: " + verbose.err());
    assertTrue(verbose.err().strip().endsWith(r.err().strip()), verbose.err());
  }
}
