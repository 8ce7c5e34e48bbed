package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/**
 * --resume continues the recorded run: to the epochs it was started for, with the flags it was
 * started with accepted again and others refused, and says so when there is nothing to resume.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ResumeFlagsTest {

  @TempDir Path tmp;

  private List<String> run(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "train",
                "--preset",
                "mlp",
                "--optimizer",
                "adam",
                "--lr",
                "0.002",
                "--batch-size",
                "64",
                "--train-limit",
                "600",
                "--test-limit",
                "100",
                "--seed",
                "9",
                "--progress",
                "lines",
                "--no-export",
                "--data-dir",
                TestData.dataRoot().toString(),
                "--checkpoint-dir",
                tmp.resolve("ck").toString()));
    a.addAll(List.of(extra));
    return a;
  }

  @Test
  void resumeContinuesTheRecordedRun() {
    CliTest.Run nothing = CliTest.cli(run("--resume").toArray(String[]::new));
    assertEquals(1, nothing.code(), nothing.err());
    assertEquals(
        "tf-mnist: error: "
            + tmp.resolve("ck")
            + ": nothing to resume (no checkpoint "
            + "there); start the run without --resume",
        nothing.err().strip());

    CliTest.Run first = CliTest.cli(run("--epochs", "1").toArray(String[]::new));
    assertEquals(0, first.code(), first.err());

    // the identical command plus --resume: accepted, and the run was for 1 epoch, not 5
    CliTest.Run same = CliTest.cli(run("--epochs", "1", "--resume").toArray(String[]::new));
    assertEquals(0, same.code(), same.err());
    assertTrue(same.out().contains(": 1 of 1 epochs done"), same.out());
    assertFalse(same.out().contains("Epoch 2/"), same.out());
    CliTest.Run noEpochs = CliTest.cli(run("--resume").toArray(String[]::new));
    assertEquals(0, noEpochs.code(), noEpochs.err());
    assertFalse(
        noEpochs.out().contains("Epoch 2/"),
        "goes to the recorded 1 epoch, not the " + "preset's 5: " + noEpochs.out());

    CliTest.Run more = CliTest.cli(run("--epochs", "2", "--resume").toArray(String[]::new));
    assertEquals(0, more.code(), more.err());
    assertTrue(more.out().contains("Epoch 2/2") && !more.out().contains("Epoch 1/2"), more.out());

    List<String> other = run("--resume");
    other.set(other.indexOf("--lr") + 1, "0.01");
    CliTest.Run refused = CliTest.cli(other.toArray(String[]::new));
    assertEquals(2, refused.code(), refused.err());
    assertTrue(
        refused
            .err()
            .contains(
                "--resume continues the run recorded in " + tmp.resolve("ck") + ": the recipe"),
        refused.err());

    // a float32 run cannot be continued in mixed precision
    CliTest.Run mixed =
        CliTest.cli(run("--resume", "--precision", "mixed_bfloat16").toArray(String[]::new));
    assertEquals(2, mixed.code(), mixed.err());
    assertTrue(
        mixed.err().contains("mixed_bfloat16) is not the recorded one")
            && mixed.err().contains("float32)"),
        mixed.err());
  }

  @Test
  void resumeRefusesAnotherBatchSizeOptimizerOrLimitAndKeepsTheCheckpoint() throws IOException {
    CliTest.Run first = CliTest.cli(run("--epochs", "1").toArray(String[]::new));
    assertEquals(0, first.code(), first.err());
    Path ck = tmp.resolve("ck");
    Map<String, String> before = TrainArgs.contents(ck);
    String refused = "--resume continues the run recorded in " + ck + ": ";
    Map<String, String> changes = new LinkedHashMap<>();
    changes.put("--batch-size 32", "batch 32, float32) is not the recorded one (");
    changes.put("--optimizer sgd", "the recipe (SGD(learning_rate=0.002");
    changes.put("--train-limit 500", "--train-limit 500 is not the recorded 600");
    changes.put("--test-limit 50", "--test-limit 50 is not the recorded 100");
    for (Map.Entry<String, String> c : changes.entrySet()) {
      String[] flag = c.getKey().split(" ");
      List<String> args = run("--resume");
      args.set(args.indexOf(flag[0]) + 1, flag[1]);
      CliTest.Run r = CliTest.cli(args.toArray(String[]::new));
      assertEquals(2, r.code(), c.getKey() + ": " + r.err());
      // picocli's usage follows the one line that says what is wrong
      String line = r.err().lines().findFirst().orElse("");
      assertTrue(line.startsWith(refused) && line.contains(c.getValue()), c.getKey() + ": " + line);
      assertEquals(1, r.err().lines().filter(l -> l.contains("--resume continues")).count());
      assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
      assertEquals("", r.out(), "nothing ran: " + r.out());
    }
    assertEquals(before, TrainArgs.contents(ck), "the checkpoint is untouched");
  }

  @Test
  void resumeRefusesAnotherPresetSeedDatasetOrFewerEpochsInOneLine() throws IOException {
    CliTest.Run first = CliTest.cli(run("--epochs", "2").toArray(String[]::new));
    assertEquals(0, first.code(), first.err());
    Path ck = tmp.resolve("ck");
    Map<String, String> before = TrainArgs.contents(ck);
    Map<String, String> changes = new LinkedHashMap<>();
    changes.put("--preset cnn", "it is of preset 'mlp', not 'cnn'");
    changes.put("--seed 10", "--seed 10 is not the recorded 9");
    changes.put("--dataset fashion", "it was trained on mnist, not fashion");
    for (Map.Entry<String, String> c : changes.entrySet()) {
      String[] flag = c.getKey().split(" ");
      List<String> args = run("--resume");
      int at = args.indexOf(flag[0]);
      if (at < 0) {
        args.addAll(List.of(flag));
      } else {
        args.set(at + 1, flag[1]);
      }
      CliTest.Run r = CliTest.cli(args.toArray(String[]::new));
      assertEquals(2, r.code(), c.getKey() + ": " + r.err());
      String line = r.err().lines().findFirst().orElse("");
      assertTrue(
          line.startsWith("--resume continues the run recorded in " + ck + ": ")
              && line.contains(c.getValue()),
          c.getKey() + ": " + line);
      assertEquals("", r.out(), "nothing ran: " + r.out());
    }
    CliTest.Run fewer = CliTest.cli(run("--resume", "--epochs", "1").toArray(String[]::new));
    assertEquals(2, fewer.code(), fewer.err());
    assertTrue(fewer.err().contains("2 epochs are done, more than the 1 asked for"), fewer.err());
    assertEquals(before, TrainArgs.contents(ck), "the checkpoint is untouched");
  }
}
