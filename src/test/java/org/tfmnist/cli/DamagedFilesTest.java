package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the tool wrote and someone damaged are one line naming the file, exit 1, and never a silent
 * fallback: a checkpoint whose data is cut short or whose index is gone, a newest epoch without its
 * state.json, a history.json or a bench result cut short, without its figures, or missing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DamagedFilesTest {

  @TempDir Path tmp;

  /** One line, {@code tf-mnist: error: <expected>...}, exit 1. */
  private static void oneLine(CliTest.Run r, String expectedStart) {
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals(Optional.empty(), OneLineErrors.problem(r), r.err());
    assertTrue(r.err().startsWith("tf-mnist: error: " + expectedStart), r.err());
  }

  /** Two epochs of a tiny run, checkpointed in tmp/ck. */
  private Path twoEpochs() {
    CliTest.Run r =
        CliTest.cli(TrainArgs.of(tmp, "--epochs", "2", "--train-limit", "256", "--no-export"));
    assertEquals(0, r.code(), r.err());
    return tmp.resolve("ck");
  }

  private CliTest.Run resume() {
    return CliTest.cli(
        TrainArgs.of(tmp, "--epochs", "3", "--train-limit", "256", "--no-export", "--resume"));
  }

  @Test
  void resumingFromACheckpointCutShortOrWithoutItsIndexIsOneLine() throws IOException {
    Path ck = twoEpochs();
    Path epoch = ck.resolve("epoch-0002");
    Path data = epoch.resolve("ckpt.data-00000-of-00001");
    Map<String, String> before = TrainArgs.contents(ck);
    try (FileChannel c = FileChannel.open(data, StandardOpenOption.WRITE)) {
      c.truncate(1000);
    }
    CliTest.Run cut = resume();
    oneLine(
        cut,
        epoch.resolve("ckpt")
            + ": the variables are corrupt: "
            + data
            + " holds 1000 bytes, its index lists ");
    assertFalse(cut.out().contains("Epoch 3/3"), "nothing trained");
    // export says the same of the same checkpoint, in the same words
    CliTest.Run export =
        CliTest.cli("export", "-c", ck.toString(), "--models-dir", tmp.resolve("m").toString());
    assertEquals(cut.err(), export.err());

    Files.delete(epoch.resolve("ckpt.index"));
    oneLine(resume(), epoch.resolve("ckpt.index") + ": missing: the checkpoint is incomplete");
    assertEquals(
        before.get("epoch-0001/state.json"),
        TrainArgs.contents(ck).get("epoch-0001/state.json"),
        "the epoch before is untouched");
  }

  @Test
  void aNewestEpochWithoutItsStateIsRefusedNotSkipped() throws IOException {
    Path ck = twoEpochs();
    Files.delete(ck.resolve("epoch-0002/state.json"));
    String expected =
        ck.resolve("epoch-0002/state.json")
            + ": the newest checkpoint's state is missing; the epoch before it is "
            + ck.resolve("epoch-0001")
            + ", which can be named directly";
    CliTest.Run export =
        CliTest.cli("export", "-c", ck.toString(), "--models-dir", tmp.resolve("m").toString());
    oneLine(export, expected);
    assertFalse(Files.exists(tmp.resolve("m")), "epoch 1 was not exported in its place");
    oneLine(resume(), expected);
    // named directly, the epoch before is exported
    CliTest.Run one =
        CliTest.cli(
            "export",
            "-c",
            ck.resolve("epoch-0001").toString(),
            "--models-dir",
            tmp.resolve("m").toString());
    assertEquals(0, one.code(), one.err());
  }

  @Test
  void aHistoryCutShortIsOneLineNamingIt() throws IOException {
    Path model = tmp.resolve("models/mlp/1");
    Path history = ModelWithHistory.copy(model);
    Files.writeString(history, Files.readString(history).substring(0, 100));
    CliTest.Run r =
        CliTest.cli("show", "history", model.toString(), "-o", tmp.resolve("h.png").toString());
    oneLine(r, history + ": not a tf-mnist history: the JSON is cut short at line ");
    assertFalse(Files.exists(tmp.resolve("h.png")));
  }

  @Test
  void benchResultsCutShortWithoutFiguresOrMissingAreOneLine() throws IOException {
    String what = "a result file of tf-mnist bench or bench_keras.py";
    Path cut = Files.writeString(tmp.resolve("cut.json"), "{\"side\": \"java\", \"pre");
    oneLine(CliTest.cli("bench", "--report", cut.toString()), cut + ": not " + what + ": ");
    Path bare = Files.writeString(tmp.resolve("bare.json"), "{\"side\": \"java\"}");
    oneLine(
        CliTest.cli("bench", "--report", bare.toString()),
        bare + ": not " + what + " (no \"preset\")");
    Path none = tmp.resolve("none.json");
    oneLine(
        CliTest.cli("bench", "--report", none.toString()),
        none + ": cannot read " + what + ": no such file or directory");
    Path empty = Files.writeString(tmp.resolve("empty.json"), "");
    oneLine(CliTest.cli("bench", "--report", empty.toString()), empty + ": not " + what);
    for (String figures : List.of("[1, 2]", "{\"epoch_seconds\": []}")) {
      Path f = Files.writeString(tmp.resolve("f.json"), figures);
      oneLine(CliTest.cli("bench", "--report", f.toString()), f + ": not " + what);
    }
  }
}
