package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/**
 * Two trainings under one name: the second refuses the first's checkpoint directory at once; two
 * that export under one name take different versions, and no export is lost.
 */
class ConcurrentRunsTest {

  @TempDir Path tmp;

  @Test
  void aSecondRunOnTheSameCheckpointsIsRefusedAndExportsTakeTheirOwnVersions() throws Exception {
    TestData.mnist();
    String models = tmp.resolve("models").toString();
    String ck = tmp.resolve("ck").toString();
    List<String> common =
        List.of(
            "train",
            "--preset",
            "mlp",
            "--name",
            "same",
            "--train-limit",
            "3000",
            "--test-limit",
            "500",
            "--seed",
            "5",
            "--progress",
            "lines",
            "--models-dir",
            models,
            "--data-dir",
            TestData.dataRoot().toString());
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.tfmnist.cli.Main"));
    cmd.addAll(common);
    cmd.addAll(List.of("--epochs", "6", "--checkpoint-dir", ck));
    Process first =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("first.log").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(tmp.resolve("first.log")).contains("Epoch 1/6")
          && System.nanoTime() < deadline
          && first.isAlive()) {
        Thread.sleep(20);
      }
      assertTrue(first.isAlive(), Files.readString(tmp.resolve("first.log")));

      List<String> second = new ArrayList<>(common);
      second.addAll(List.of("--epochs", "1", "--checkpoint-dir", ck));
      CliTest.Run refused = CliTest.cli(second.toArray(String[]::new));
      assertEquals(1, refused.code(), refused.out() + refused.err());
      assertEquals(
          "tf-mnist: error: "
              + ck
              + ": another training run is using these "
              + "checkpoints; wait for it, or give this run another name or checkpoint directory",
          refused.err().strip());

      List<String> third = new ArrayList<>(common);
      third.addAll(List.of("--epochs", "1", "--no-checkpoints"));
      CliTest.Run exported = CliTest.cli(third.toArray(String[]::new));
      assertEquals(0, exported.code(), exported.err());

      assertTrue(first.waitFor(180, TimeUnit.SECONDS), "the first run finishes");
      assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("first.log")));
    } finally {
      first.destroyForcibly();
    }
    try (Stream<Path> s = Files.list(tmp.resolve("models/same"))) {
      assertEquals(
          List.of("1", "2"),
          s.map(p -> p.getFileName().toString()).sorted().toList(),
          "both exports kept, each its own version");
    }
  }
}
