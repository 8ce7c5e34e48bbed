package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/**
 * Two trainings under one name: the second refuses the first's checkpoint directory at once, before
 * it reads the data; two that export under one name take different versions, and no export is lost.
 *
 * <p>The first run is held still (SIGSTOP) once it has started its first epoch, so it holds the
 * checkpoint directory for as long as the other runs need, however fast or loaded the machine is: a
 * stopped process keeps its file lock.
 */
@Timeout(300)
class ConcurrentRunsTest {

  private static final int FIRST_EPOCHS = 20;

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
            models);
    List<String> cmd = ChildProcess.javaMain();
    cmd.addAll(common);
    cmd.addAll(
        List.of(
            "--data-dir",
            TestData.dataRoot().toString(),
            "--epochs",
            Integer.toString(FIRST_EPOCHS),
            "--checkpoint-dir",
            ck));
    Process first = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    OutputLines output = new OutputLines(first);
    BlockingQueue<String> lines = output.lines;
    List<String> log = new ArrayList<>();
    try {
      // the event: its first epoch starts, so it holds the checkpoint directory
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!log.contains("Epoch 1/" + FIRST_EPOCHS)) {
        String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (l == null || l == OutputLines.EOF) {
          fail(
              (l == null ? "no first epoch within 120 s" : "the first run ended early")
                  + ": "
                  + String.join("\n", log));
        }
        log.add(l);
      }
      signal(first, "STOP");
      awaitStopped(first);
      assertTrue(first.isAlive(), "the first run is held, not ended: " + String.join("\n", log));

      // the second run is given its own, empty data directory and a source to fill it from: it
      // is refused before it reads (or copies) any data
      Path secondData = tmp.resolve("second-data");
      List<String> second = new ArrayList<>(common);
      second.addAll(
          List.of(
              "--epochs",
              "1",
              "--checkpoint-dir",
              ck,
              "--data-dir",
              secondData.toString(),
              "--source",
              TestData.mnistDir().toString()));
      CliTest.Run refused = CliTest.cli(second.toArray(String[]::new));
      assertEquals(1, refused.code(), refused.out() + refused.err());
      assertEquals(
          "tf-mnist: error: "
              + ck
              + ": another training run is using these "
              + "checkpoints; wait for it, or give this run another name or checkpoint directory",
          refused.err().strip());
      assertFalse(Files.exists(secondData), "the refused run read no data");

      List<String> third = new ArrayList<>(common);
      third.addAll(
          List.of(
              "--epochs", "1", "--no-checkpoints", "--data-dir", TestData.dataRoot().toString()));
      CliTest.Run exported = CliTest.cli(third.toArray(String[]::new));
      assertEquals(0, exported.code(), exported.err());

      signal(first, "CONT");
      assertTrue(first.waitFor(180, TimeUnit.SECONDS), "the first run finishes");
      output.join(TimeUnit.SECONDS.toMillis(30));
      lines.drainTo(log);
      assertEquals(0, first.exitValue(), String.join("\n", log));
    } finally {
      first.destroyForcibly();
      first.waitFor(30, TimeUnit.SECONDS);
    }
    try (Stream<Path> s = Files.list(tmp.resolve("models/same"))) {
      assertEquals(
          List.of("1", "2"),
          s.map(p -> p.getFileName().toString()).sorted().toList(),
          "both exports kept, each its own version");
    }
  }

  /** Sends SIGSTOP or SIGCONT with kill(1): Java signals only to end a process. */
  private static void signal(Process p, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    try {
      assertTrue(kill.waitFor(30, TimeUnit.SECONDS), "kill -" + signal + " returns");
      assertEquals(0, kill.exitValue(), "kill -" + signal + " " + p.pid());
    } finally {
      kill.destroyForcibly();
    }
  }

  /** Waits until the kernel reports {@code p} stopped (state T in /proc), where there is /proc. */
  private static void awaitStopped(Process p) throws Exception {
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      String s = Files.exists(stat) ? Files.readString(stat) : "(gone)";
      // "pid (comm) state ...": the state follows the last ')'
      String state = s.contains(")") ? s.substring(s.lastIndexOf(')') + 2).substring(0, 1) : s;
      if (state.equals("T")) {
        return;
      }
      assertTrue(
          p.isAlive() && System.nanoTime() < deadline, "the first run is not stopped: " + state);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
