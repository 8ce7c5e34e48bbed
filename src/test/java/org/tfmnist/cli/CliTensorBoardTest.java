package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.train.callbacks.TensorBoardEvents;

/**
 * {@code train --tensorboard DIR} end to end, read back from the event files: the batch scalars
 * written every 20 steps are the epoch's running loss and accuracy (at an epoch's last step, the
 * epoch's own figures), next to the epoch scalars and the learning rate.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CliTensorBoardTest {

  @TempDir Path tmp;

  @Test
  void batchScalarsAreTheEpochsRunningFigures() throws IOException {
    Path tb = tmp.resolve("tb");
    Path csv = tmp.resolve("log.csv");
    // 2,560 images in batches of 64: 40 steps an epoch, batch scalars at steps 20 and 40 of each
    CliTest.Run r =
        CliTest.cli(
            TrainArgs.of(
                tmp,
                "--train-limit",
                "2560",
                "--batch-size",
                "64",
                "--epochs",
                "2",
                "--tensorboard",
                tb.toString(),
                "--csv-log",
                csv.toString(),
                "--no-export",
                "--no-checkpoints"));
    assertEquals(0, r.code(), r.out() + r.err());
    List<Map<String, String>> rows = TrainArgs.csv(csv);
    Map<String, Map<Long, Float>> train = TensorBoardEvents.scalars(tb.resolve("train"));
    Map<String, Map<Long, Float>> val = TensorBoardEvents.scalars(tb.resolve("validation"));

    Map<Long, Float> batchLoss = train.get("batch_loss");
    Map<Long, Float> batchAccuracy = train.get("batch_accuracy");
    assertEquals(List.of(20L, 40L, 60L, 80L), List.copyOf(batchLoss.keySet()), train.toString());
    assertEquals(List.of(20L, 40L, 60L, 80L), List.copyOf(batchAccuracy.keySet()));
    for (int e = 0; e < 2; e++) {
      Map<String, String> row = rows.get(e);
      float loss = (float) Double.parseDouble(row.get("loss"));
      float accuracy = (float) Double.parseDouble(row.get("accuracy"));
      long last = 40L * (e + 1);
      assertEquals(loss, batchLoss.get(last), "the running loss at epoch " + e + "'s last step");
      assertEquals(accuracy, batchAccuracy.get(last), "the running accuracy, epoch " + e);
      assertEquals(loss, train.get("epoch_loss").get((long) e));
      assertEquals(accuracy, train.get("epoch_accuracy").get((long) e));
      assertEquals(0.001f, train.get("epoch_learning_rate").get((long) e));
      assertEquals(
          (float) Double.parseDouble(row.get("val_loss")), val.get("epoch_loss").get((long) e));
      assertEquals(
          (float) Double.parseDouble(row.get("val_accuracy")),
          val.get("epoch_accuracy").get((long) e));
      float half = batchLoss.get(last - 20);
      float halfAccuracy = batchAccuracy.get(last - 20);
      assertTrue(Float.isFinite(half) && half > 0, "a loss: " + half);
      assertTrue(halfAccuracy >= 0 && halfAccuracy <= 1, "an accuracy: " + halfAccuracy);
    }
    // halfway through the first epoch the running mean still holds the untrained first batches
    assertTrue(batchLoss.get(20L) > batchLoss.get(40L), batchLoss.toString());
    assertTrue(batchAccuracy.get(20L) < batchAccuracy.get(40L), batchAccuracy.toString());
  }
}
