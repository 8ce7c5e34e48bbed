package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.train.Checkpoints;

/**
 * Training killed with SIGKILL in its third epoch resumes from the second epoch's checkpoint and
 * ends exactly where an uninterrupted run ends (shuffles and dropout are keyed by the seed, the
 * epoch and the global step, all restored).
 */
class ResumeAfterKillTest {

  @TempDir Path tmp;

  private static final List<String> TRAIN = List.of("train", "--preset", "cnn",
      "--epochs", "4", "--train-limit", "1500", "--test-limit", "500", "--seed", "11",
      "--batch-size", "32", "--progress", "lines", "--no-export");

  @Test
  void resumesFromTheLastFinishedEpochAfterAKill() throws Exception {
    TestData.mnist();
    Path ck = tmp.resolve("ck");
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.tfmnist.cli.Main"));
    cmd.addAll(TRAIN);
    cmd.addAll(List.of("--checkpoint-dir", ck.toString(),
        "--data-dir", TestData.dataRoot().toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("killed.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.isDirectory(ck.resolve("epoch-0002")) && System.nanoTime() < deadline
        && p.isAlive()) {
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "still training after epoch 2: " + log("killed.log"));
    Thread.sleep(300);
    p.destroyForcibly(); // SIGKILL on Unix
    p.waitFor(30, TimeUnit.SECONDS);
    String killed = log("killed.log");
    assertTrue(killed.contains("Epoch 3/4") && !killed.contains("Epoch 4/4"),
        "killed during epoch 3: " + killed);
    assertFalse(Files.exists(ck.resolve("epoch-0003")), "epoch 3 never finished");

    List<String> resume = new java.util.ArrayList<>(List.of("train", "--preset", "cnn",
        "--epochs", "4", "--resume", "--progress", "lines", "--no-export",
        "--checkpoint-dir", ck.toString(), "--data-dir", TestData.dataRoot().toString()));
    CliTest.Run r = CliTest.cli(resume.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Resuming from " + ck.resolve("epoch-0002") + ": 2 of 4"),
        r.out());
    assertFalse(r.out().contains("Epoch 1/4") || r.out().contains("Epoch 2/4"), r.out());
    assertTrue(r.out().contains("Epoch 3/4") && r.out().contains("Epoch 4/4"), r.out());
    Checkpoints.Saved done = Checkpoints.read(ck);
    assertEquals(4, done.state().epoch());
    assertEquals(4, done.state().history().epochs().size());
    try (var s = Files.list(ck)) {
      assertTrue(s.noneMatch(x -> x.getFileName().toString().contains(".tmp-")),
          "no half-written checkpoint left");
    }

    // the same run, never interrupted, ends with the same weights: the same figures
    List<String> straight = new java.util.ArrayList<>(TRAIN);
    straight.addAll(List.of("--no-checkpoints", "--data-dir", TestData.dataRoot().toString()));
    CliTest.Run s = CliTest.cli(straight.toArray(String[]::new));
    assertEquals(0, s.code(), s.err());
    assertEquals(lastLine(s.out(), "test loss"), lastLine(r.out(), "test loss"));
  }

  private String log(String name) throws IOException {
    return Files.readString(tmp.resolve(name));
  }

  private static String lastLine(String out, String prefix) {
    return out.lines().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b).orElse("none");
  }
}
