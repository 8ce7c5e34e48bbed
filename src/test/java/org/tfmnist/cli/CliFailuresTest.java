package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training that fails is one line on stderr, exit 1, no stack trace, and keeps nothing broken: a
 * loss that becomes NaN keeps nothing of its epoch; an export or a checkpoint whose write fails
 * midway (a file-size limit on the process, which fails a write as a full disk does, without root)
 * leaves no half-written model or checkpoint, and the checkpoint before it intact.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CliFailuresTest {

  /** 1 MiB, in ulimit's 1,024-byte blocks: less than the MLP's weights (1.6 MB). */
  private static final int FILE_SIZE_LIMIT_BLOCKS = 1024;

  @TempDir Path tmp;

  /**
   * TensorFlow's natives unpacked before a limited process needs them: it could not write them
   * itself.
   */
  @BeforeAll
  static void loadTensorFlow() {
    assertFalse(org.tensorflow.TensorFlow.version().isEmpty());
  }

  /** The tool's own report: exactly one "tf-mnist: error:" line, the last, and no trace. */
  private static String oneErrorLine(String err) {
    List<String> ours = err.lines().filter(l -> l.startsWith("tf-mnist: ")).toList();
    assertEquals(1, ours.size(), err);
    assertTrue(ours.get(0).startsWith("tf-mnist: error: "), err);
    assertEquals(ours.get(0), err.strip().lines().reduce((a, b) -> b).orElseThrow(), err);
    assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    return ours.get(0);
  }

  @Test
  void aLossThatBecomesNaNIsOneLineAndKeepsNothingOfItsEpoch() throws IOException {
    CliTest.Run r =
        CliTest.cli(TrainArgs.of(tmp, "--optimizer", "sgd", "--lr", "500000", "--epochs", "2"));
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    String line = oneErrorLine(r.err());
    assertTrue(
        line.matches(
            "tf-mnist: error: the loss became (NaN|infinite) in epoch 1 by step \\d+ of 8: "
                + "training stopped, nothing of this epoch was kept \\(try a lower --lr\\)"),
        line);
    assertFalse(r.out().contains("Epoch 2/2"), r.out());
    assertFalse(r.out().contains("Exported"), r.out());
    assertEquals(List.of(".lock"), TrainArgs.entries(tmp.resolve("ck")), "no checkpoint");
    assertEquals(List.of(), TrainArgs.entries(tmp.resolve("models/mlp")), "no export");
  }

  @Test
  void anExportThatCannotBeWrittenIsOneLineAndLeavesNothing() throws Exception {
    CliTest.Run r = limited(TrainArgs.of(tmp, "--epochs", "1", "--no-checkpoints"));
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("test accuracy: "), "trained, then failed: " + r.out());
    assertFalse(r.out().contains("Exported"), r.out());
    String line = oneErrorLine(r.err());
    assertTrue(
        line.startsWith(
            "tf-mnist: error: " + tmp.resolve("models/mlp/1") + ": cannot write the SavedModel: "),
        line);
    assertTrue(line.contains("File too large"), line);
    assertTrue(line.endsWith("(nothing half-written is left)"), line);
    assertEquals(
        List.of(), TrainArgs.entries(tmp.resolve("models/mlp")), "no version, no temporary");
  }

  @Test
  void aCheckpointThatCannotBeWrittenIsOneLineAndTheOneBeforeStays() throws Exception {
    String[] first = TrainArgs.of(tmp, "--epochs", "1", "--no-export");
    CliTest.Run one = CliTest.cli(first);
    assertEquals(0, one.code(), one.err());
    Path ck = tmp.resolve("ck");
    Map<String, String> before = TrainArgs.contents(ck);

    CliTest.Run r = limited(TrainArgs.of(tmp, "--epochs", "2", "--no-export", "--resume"));
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("Epoch 2/2"), r.out());
    String line = oneErrorLine(r.err());
    assertTrue(
        line.startsWith(
            "tf-mnist: error: " + ck.resolve("epoch-0002") + ": cannot write the checkpoint: "),
        line);
    assertTrue(line.contains("File too large"), line);
    assertEquals(List.of(".lock", "epoch-0001"), TrainArgs.entries(ck), "nothing half-written");
    assertEquals(before, TrainArgs.contents(ck), "epoch 1's checkpoint untouched");
  }

  /**
   * The CLI in a process of its own whose files may not grow past {@link #FILE_SIZE_LIMIT_BLOCKS}
   * (its writes past that fail with EFBIG; the JVM ignores SIGXFSZ), TensorFlow's native logging as
   * the launcher sets it.
   */
  private CliTest.Run limited(String[] args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "bash", "-c", "ulimit -f " + FILE_SIZE_LIMIT_BLOCKS + " && exec \"$0\" \"$@\""));
    cmd.addAll(ChildProcess.javaMain("-XX:-UsePerfData"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
    return ChildProcess.run(pb, tmp);
  }
}
