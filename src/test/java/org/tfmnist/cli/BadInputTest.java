package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.util.ErrorReason;

/**
 * Output paths that cannot be written are one line before any work; a damaged newest checkpoint is
 * refused, never silently replaced by an older one; I/O errors say why.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BadInputTest {

  @TempDir Path tmp;

  @Test
  void unwritableOutputsAreFoundFirst() throws IOException {
    Path model = tmp.resolve("m/1");
    TestModels.copy(TestModels.mlp(), model);
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    CliTest.Run p =
        CliTest.cli(
            "predict",
            "--model",
            model.toString(),
            "--save-preprocessed",
            file.toString(),
            "--index",
            "0",
            TestData.mnistDir().resolve("t10k-images-idx3-ubyte").toString());
    assertEquals(1, p.code(), p.err());
    assertEquals("tf-mnist: error: " + file + ": exists and is not a directory", p.err().strip());
    CliTest.Run e =
        CliTest.cli(
            "evaluate",
            "-m",
            model.toString(),
            "--limit",
            "10",
            "--save-probabilities",
            tmp.toString());
    assertEquals(1, e.code(), e.err());
    assertEquals("tf-mnist: error: " + tmp + ": is a directory", e.err().strip());
    CliTest.Run n =
        CliTest.cli(
            "evaluate",
            "-m",
            model.toString(),
            "--limit",
            "10",
            "--save-probabilities",
            tmp.resolve("no/p.npy").toString());
    assertEquals("tf-mnist: error: " + tmp.resolve("no") + ": no such directory", n.err().strip());
  }

  @Test
  void aDamagedNewestCheckpointIsRefusedNotSkipped() throws IOException {
    Path ck = tmp.resolve("ck");
    Files.createDirectories(ck.resolve("epoch-0001"));
    Files.writeString(ck.resolve("epoch-0001/state.json"), "{}");
    Files.createDirectories(ck.resolve("epoch-0002"));
    Files.writeString(ck.resolve("epoch-0002/state.json"), "{\"epoch\": 2, trunc");
    CliTest.Run r =
        CliTest.cli(
            "export", "-c", ck.toString(), "--models-dir", tmp.resolve("models").toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(
        r.err()
            .startsWith(
                "tf-mnist: error: "
                    + ck.resolve("epoch-0002/state.json")
                    + ": the newest checkpoint's state is damaged ("),
        r.err());
    assertTrue(r.err().contains("the epoch before it is " + ck.resolve("epoch-0001")), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(!Files.exists(tmp.resolve("models")), "nothing exported");
  }

  @Test
  void ioErrorsSayWhy() {
    assertEquals("permission denied", ErrorReason.of(new AccessDeniedException("/x")));
    assertEquals("no such file or directory", ErrorReason.of(new NoSuchFileException("/x")));
    assertEquals(
        "No space left on device",
        ErrorReason.of(
            new java.nio.file.FileSystemException("/x", null, "No space left on device")));
  }

  @Test
  void aTakenVersionIsFoundBeforeTrainingAndTheOldCheckpointsStay() throws IOException {
    String data = TestData.dataRoot().toString();
    String[] run = {
      "train",
      "--preset",
      "mlp",
      "--epochs",
      "1",
      "--train-limit",
      "500",
      "--test-limit",
      "100",
      "--seed",
      "3",
      "--progress",
      "lines",
      "--data-dir",
      data,
      "--models-dir",
      tmp.resolve("models").toString(),
      "--checkpoint-dir",
      tmp.resolve("ck").toString()
    };
    CliTest.Run first = CliTest.cli(run);
    assertEquals(0, first.code(), first.err());
    String state = Files.readString(tmp.resolve("ck/epoch-0001/state.json"));

    String[] again = java.util.Arrays.copyOf(run, run.length + 2);
    again[run.length] = "--version";
    again[run.length + 1] = "1";
    CliTest.Run taken = CliTest.cli(again);
    assertEquals(1, taken.code(), taken.err());
    assertEquals(
        "tf-mnist: error: "
            + tmp.resolve("models/mlp/1")
            + ": already exists; a version is never overwritten",
        taken.err().strip());
    assertTrue(!taken.out().contains("Epoch 1/"), "found before the first epoch");
    assertEquals(
        state,
        Files.readString(tmp.resolve("ck/epoch-0001/state.json")),
        "the old run's checkpoint is untouched");

    String[] fresh = run.clone();
    fresh[java.util.Arrays.asList(run).indexOf("--seed") + 1] = "4";
    fresh[java.util.Arrays.asList(run).indexOf("--epochs") + 1] = "2";
    CliTest.Run replaced = CliTest.cli(fresh);
    assertEquals(0, replaced.code(), replaced.err());
    assertTrue(replaced.out().contains("removed the old checkpoints"), replaced.out());
    assertTrue(
        Files.readString(tmp.resolve("ck/epoch-0002/state.json")).contains("\"seed\" : 4")
            || Files.readString(tmp.resolve("ck/epoch-0002/state.json")).contains("\"seed\":4"),
        "the new run's checkpoints");
  }
}
