package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.train.callbacks.BackupAndRestore;
import org.tfmnist.train.callbacks.ModelCheckpoint;
import org.tfmnist.train.callbacks.Monitor;

class CheckpointsTest {

  @TempDir Path tmp;

  @Test
  void keepsTheNewestNAndTheBestAndReadsStateBack() throws IOException {
    Preset p = Presets.mlp();
    Recipe r = p.recipe().withEpochs(4);
    Checkpoints ck = new Checkpoints(tmp.resolve("ck"), 2);
    // what a writer killed mid-write left: its process is gone (999999999 is above any pid_max)
    Files.createDirectories(tmp.resolve("ck/.epoch-0009.tmp-999999999-123"));
    try (Model m = new Model(p.model(), 3, null)) {
      m.compile(r.optimizer(), r.loss());
      Function<History.Epoch, Checkpoints.State> state =
          e ->
              Checkpoints.State.builder("mlp")
                  .epoch(e.epoch())
                  .recipe(r)
                  .seed(3)
                  .limits(1000, 1000)
                  .globalStep(m.iterations())
                  .history(m.history())
                  .build();
      PrintStream out = new PrintStream(new ByteArrayOutputStream());
      m.fit(
          TestData.mnist().train().first(1000),
          TestData.test(),
          r.epochs(),
          r.batchSize(),
          List.of(
              new BackupAndRestore(ck, Optional.empty(), state, out),
              new ModelCheckpoint(ck, new Monitor("val_accuracy"), state)));
    }
    List<String> names;
    try (var s = Files.list(tmp.resolve("ck"))) {
      names = s.map(x -> x.getFileName().toString()).sorted().collect(Collectors.toList());
    }
    assertTrue(names.containsAll(List.of("epoch-0003", "epoch-0004", "best")), names.toString());
    assertFalse(names.contains("epoch-0001") || names.contains("epoch-0002"), names.toString());
    Checkpoints.Saved latest = ck.latest().orElseThrow();
    assertFalse(Files.exists(tmp.resolve("ck/.epoch-0009.tmp-999999999-123")), "leftovers removed");
    assertEquals(4, latest.state().epoch());
    assertEquals(4 * 8, latest.state().globalStep());
    assertEquals(4, latest.state().history().epochs().size());
    assertEquals(r, latest.state().recipe());
    Checkpoints.Saved best = Checkpoints.read(tmp.resolve("ck/best"));
    assertEquals(latest.state().history().best().epoch(), best.state().epoch());
    assertEquals(3, ck.clear());
  }
}
