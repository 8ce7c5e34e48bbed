package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import org.tfmnist.TestData;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;

/**
 * A disk that fills up while a checkpoint is written, injected at the writer: TensorFlow's saver
 * has written part of its files when it fails (as it does on a full disk), or our own state.json
 * write fails. The error names the checkpoint and the reason, nothing half-written is left, the
 * checkpoint before it is intact and restores, and a fresh run that fails on its first checkpoint
 * has not removed the older run's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskFullTest {

  @TempDir Path tmp;

  private final Preset p = Presets.mlp();
  private final Recipe r = p.recipe().withEpochs(1);

  @Test
  void aFullDiskLosesNothingAndSaysWhere() throws IOException {
    Path dir = tmp.resolve("ck");
    try (TrainingGraph g = graph()) {
      Checkpoints ck = new Checkpoints(dir, 3);
      ck.save(g, state(g, 1));
      float[] saved = firstWeights(g);

      // TensorFlow's saver writes its data file, then the disk is full
      Checkpoints full =
          new Checkpoints(
              dir,
              3,
              (into, graph, state) -> {
                graph.save(into.resolve(Checkpoints.PREFIX).toString());
                throw new TFResourceExhaustedException(
                    into.resolve("ckpt.index.tempstate1") + "; " + "No space left on device");
              });
      fit(g); // the weights move on
      TrainingException e = assertThrows(TrainingException.class, () -> full.save(g, state(g, 2)));
      assertTrue(
          e.getMessage()
              .startsWith(dir.resolve("epoch-0002") + ": cannot write the " + "checkpoint: "),
          e.getMessage());
      assertTrue(
          e.getMessage().contains("the write failed: no space left on the device"), e.getMessage());
      assertEquals(List.of("epoch-0001"), entries(dir), "nothing half-written is left");

      // our own state.json write fails the same way
      Checkpoints noState =
          new Checkpoints(
              dir,
              3,
              (into, graph, state) -> {
                graph.save(into.resolve(Checkpoints.PREFIX).toString());
                throw new java.nio.file.FileSystemException(
                    into.resolve(Checkpoints.STATE).toString(), null, "No space left on device");
              });
      TrainingException e2 =
          assertThrows(TrainingException.class, () -> noState.save(g, state(g, 2)));
      assertEquals(
          dir.resolve("epoch-0002") + ": cannot write the checkpoint: No space left on " + "device",
          e2.getMessage());
      assertEquals(List.of("epoch-0001"), entries(dir));

      // rewriting an existing checkpoint (best/) that fails keeps the one there
      ck.saveBest(g, state(g, 2));
      TrainingException e3 =
          assertThrows(TrainingException.class, () -> full.saveBest(g, state(g, 3)));
      assertTrue(
          e3.getMessage().endsWith("(the checkpoint there before is intact)"), e3.getMessage());
      assertEquals(2, Checkpoints.read(dir.resolve(Checkpoints.BEST)).state().epoch());

      // epoch 1 is whole: it reads back and restores the weights it had
      Checkpoints.Saved one = ck.latest().orElseThrow();
      assertEquals(1, one.state().epoch());
      g.restore(one.prefix());
      assertTrue(java.util.Arrays.equals(saved, firstWeights(g)), "epoch 1 restores");
    }
  }

  @Test
  void aFreshRunThatFailsOnItsFirstCheckpointKeepsTheOlderRun() throws IOException {
    Path dir = tmp.resolve("ck");
    try (TrainingGraph g = graph()) {
      Checkpoints ck = new Checkpoints(dir, 3);
      ck.save(g, state(g, 1));
      ck.save(g, state(g, 2));
      ck.saveBest(g, state(g, 2));
      Checkpoints full =
          new Checkpoints(
              dir,
              3,
              (into, graph, state) -> {
                throw new java.nio.file.FileSystemException(
                    into.toString(), null, "No space left on device");
              });
      assertThrows(TrainingException.class, () -> full.save(g, state(g, 1), true));
      assertEquals(List.of("best", "epoch-0001", "epoch-0002"), entries(dir));
      assertEquals(2, ck.latest().orElseThrow().state().epoch());
    }
  }

  private TrainingGraph graph() {
    return new TrainingGraph(
        new TrainingGraph.Spec(
            p.model(), r.loss(), r.optimizer(), r.batchSize(), 3, 1000, r.dtypePolicy()),
        TestData.mnist().train().first(1000),
        Map.of("val", TestData.test()),
        null);
  }

  /** An epoch of steps: the weights move on. */
  private static void fit(TrainingGraph g) {
    g.startEpoch(0);
    for (int s = 0; s < g.stepsPerEpoch(); s++) {
      g.step();
    }
  }

  private Checkpoints.State state(TrainingGraph g, int epoch) {
    return Checkpoints.State.builder("mlp")
        .epoch(epoch)
        .recipe(r)
        .seed(3)
        .limits(1000, 1000)
        .globalStep(g.globalStep())
        .build();
  }

  private static float[] firstWeights(TrainingGraph g) {
    var w = g.weightValues();
    try {
      var t = w.asMap().values().iterator().next();
      float[] out = new float[(int) t.shape().size()];
      t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false));
      return out;
    } finally {
      w.close();
    }
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(x -> x.getFileName().toString())
          .filter(n -> !n.equals(".lock"))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
