package org.tfmnist.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.train.History;
import org.tfmnist.train.Model;
import org.tfmnist.train.TinyRuns;

/**
 * The logging callbacks in a tiny real run of the MLP preset (1,000 MNIST training images, 500 test
 * images for validation, 2 epochs): TensorBoard's event files, ProgbarLogger's epoch lines and
 * NielsenLogger's percentages hold the history's figures.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LoggersTest {

  private static final long SEED = 7;
  private static final int BATCH = 128;

  @TempDir Path tmp;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private static Model mlp() {
    return TinyRuns.mlp(null, SEED);
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void tensorBoardWritesTheEpochFiguresAndTheRunningBatchFigures() throws IOException {
    Path logs = tmp.resolve("tb");
    History h;
    try (Model m = mlp()) {
      // 1,000 images in batches of 32: 32 steps an epoch, a batch summary at step 20 of each
      h = m.fit(TinyRuns.train(), TinyRuns.validation(), 2, 32, List.of(new TensorBoard(logs)));
    }
    Map<String, Map<Long, Float>> trainRun = TensorBoardEvents.scalars(logs.resolve("train"));
    Map<String, Map<Long, Float>> valRun = TensorBoardEvents.scalars(logs.resolve("validation"));
    for (int i = 0; i < 2; i++) {
      History.Epoch e = h.epochs().get(i);
      long step = i; // Keras counts TensorBoard's epochs from 0
      assertEquals((float) e.loss(), trainRun.get("epoch_loss").get(step));
      assertEquals((float) e.accuracy(), trainRun.get("epoch_accuracy").get(step));
      assertEquals(0.001f, trainRun.get("epoch_learning_rate").get(step));
      assertEquals((float) e.valLoss(), valRun.get("epoch_loss").get(step));
      assertEquals((float) e.valAccuracy(), valRun.get("epoch_accuracy").get(step));
    }
    assertEquals(List.of(20L, 52L), List.copyOf(trainRun.get("batch_loss").keySet()));
    assertEquals(List.of(20L, 52L), List.copyOf(trainRun.get("batch_accuracy").keySet()));
    assertFalse(valRun.containsKey("batch_loss"));
  }

  @Test
  void progbarAndNielsenLoggersPrintTheEpochFigures() {
    History h;
    try (Model m = mlp()) {
      h =
          m.fit(
              TinyRuns.train(),
              TinyRuns.validation(),
              2,
              BATCH,
              List.of(new ProgbarLogger(out, false), new NielsenLogger(out)));
    }
    List<String> lines = printed().lines().toList();
    for (History.Epoch e : h.epochs()) {
      assertTrue(lines.contains("Epoch " + e.epoch() + "/2"), printed());
      String figures =
          String.format(
              java.util.Locale.ROOT,
              " - val_loss: %.4f - val_accuracy: %.4f",
              e.valLoss(),
              e.valAccuracy());
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith("8/8 [====") && l.endsWith(figures)),
          printed());
      String nielsen = "Epoch " + e.epoch() + ": ";
      String percent =
          lines.stream()
              .filter(l -> l.startsWith(nielsen) && l.endsWith(" %"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(printed()))
              .substring(nielsen.length())
              .replace(" %", "");
      assertEquals(100 * e.valAccuracy(), Double.parseDouble(percent), 1e-9);
    }
  }
}
