package org.tfmnist.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.nn.Activation;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Dropout;
import org.tfmnist.nn.Flatten;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;
import org.tfmnist.train.Model;
import org.tfmnist.train.TrainingException;

/**
 * The callbacks' Keras forms: {@code ModelCheckpoint(filepath)} writes a {@code .keras} or {@code
 * .weights.h5} file per epoch (or per improvement) under Keras' formatted name, and refuses other
 * names before training; {@code BackupAndRestore(backup_dir)} continues a run that died after an
 * epoch to exactly the figures of one that never died, deletes its backup when training ends, and
 * refuses the backup of another model.
 */
@Timeout(300)
class KerasFileCallbacksTest {

  private static final LabeledImages TRAIN = TestData.mnist().train().first(600);
  private static final LabeledImages VAL = TestData.mnist().test().first(300);

  @TempDir Path tmp;

  private static Model mlp(String name, int units) {
    return new Model(
            Sequential.of(
                name,
                Sequential.input(28, 28),
                new Flatten(),
                new Dense(units, Activation.RELU),
                new Dropout(0.2),
                new Dense(10, Activation.SOFTMAX)),
            9)
        .verbose(0)
        .compile(OptimizerSpec.adam(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
  }

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void modelCheckpointWritesKerasFilesUnderKerasFormattedNames() throws Exception {
    Path dir = tmp.resolve("ck");
    History h;
    float[] last;
    try (Model m = mlp("mlp", 32)) {
      h =
          m.fit(
              TRAIN,
              VAL,
              2,
              100,
              List.of(
                  new ModelCheckpoint(dir.resolve("mlp-{epoch:02d}-{val_loss:.3f}.keras")),
                  new ModelCheckpoint(dir.resolve("best.weights.h5"))
                      .monitor("val_accuracy")
                      .saveBestOnly(true)));
      last = m.predict(new float[][] {VAL.imageAsFloats(0)})[0];
    }
    String first =
        String.format(java.util.Locale.ROOT, "mlp-01-%.3f.keras", h.epochs().get(0).valLoss());
    String second =
        String.format(java.util.Locale.ROOT, "mlp-02-%.3f.keras", h.epochs().get(1).valLoss());
    assertEquals(List.of("best.weights.h5", first, second), files(dir));
    try (Model loaded = Model.loadKeras(dir.resolve(second))) {
      assertArrayEquals(last, loaded.predict(new float[][] {VAL.imageAsFloats(0)})[0], 0f);
      assertEquals(12, loaded.iterations(), "the optimizer's state came along");
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ModelCheckpoint(tmp.resolve("x.h5")));
    assertTrue(e.getMessage().contains(".keras"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ModelCheckpoint(tmp.resolve("x-{val_acc:.2f}.keras")));
    assertTrue(e.getMessage().contains("{val_acc}"), e.getMessage());
  }

  /** Dies right after epoch {@code at} ended (after the backup of it was written). */
  private static final class Crash extends Callback {
    private final int at;

    Crash(int at) {
      this.at = at;
    }

    @Override
    public void onEpochEnd(History.Epoch logs) {
      if (logs.epoch() == at) {
        throw new IllegalStateException("killed after epoch " + at);
      }
    }
  }

  @Test
  void backupAndRestoreContinuesADeadRunToTheSameFigures() throws Exception {
    History whole;
    try (Model m = mlp("mlp", 32)) {
      whole = m.fit(TRAIN, VAL, 3, 100);
    }
    Path backup = tmp.resolve("backup");
    try (Model m = mlp("mlp", 32)) {
      assertThrows(
          IllegalStateException.class,
          () -> m.fit(TRAIN, VAL, 3, 100, List.of(new BackupAndRestore(backup), new Crash(2))));
    }
    assertTrue(Files.isDirectory(backup.resolve("epoch-0002")), "the backup of epoch 2");
    try (Model other = mlp("other", 16)) {
      TrainingException e =
          assertThrows(
              TrainingException.class,
              () -> other.fit(TRAIN, VAL, 3, 100, List.of(new BackupAndRestore(backup))));
      assertTrue(e.getMessage().contains("another model ('mlp')"), e.getMessage());
    }
    History resumed;
    List<Integer> ran = new java.util.ArrayList<>();
    Callback epochs =
        new Callback() {
          @Override
          public void onEpochBegin(int epoch, int steps) {
            ran.add(epoch);
          }
        };
    try (Model m = mlp("mlp", 32)) {
      resumed = m.fit(TRAIN, VAL, 3, 100, List.of(new BackupAndRestore(backup), epochs));
      assertEquals(18, m.iterations());
    }
    assertEquals(List.of(3), ran, "only the epoch the dead run had not finished");
    assertEquals(3, resumed.epochs().size());
    for (int i = 0; i < 3; i++) {
      assertEquals(whole.epochs().get(i).loss(), resumed.epochs().get(i).loss(), 0.0, "loss " + i);
      assertEquals(
          whole.epochs().get(i).valAccuracy(),
          resumed.epochs().get(i).valAccuracy(),
          0.0,
          "acc " + i);
    }
    assertFalse(Files.exists(backup), "deleted once training ended, as Keras does");
  }
}
