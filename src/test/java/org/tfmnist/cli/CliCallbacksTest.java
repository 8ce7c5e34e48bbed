package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tfmnist.TestData;
import org.tfmnist.train.Checkpoints;

/**
 * The callbacks {@code tf-mnist train} switches on by flag, end to end on tiny runs:
 * --early-stopping ends the run once its patience runs out, --reduce-lr-on-plateau drops the rate
 * (as the --csv-log shows), --monitor chooses the figure they watch, --csv-log writes Keras'
 * columns and a row per epoch, and --best keeps the epoch of the best validation accuracy (the
 * first of those that tie).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CliCallbacksTest {

  /**
   * A rate far too small to move any weight by a float32 step: the validation loss and accuracy are
   * the same, bit for bit, every epoch, a plateau by construction on any CPU.
   */
  private static final String[] PLATEAU = {"--optimizer", "sgd", "--lr", "1e-30"};

  @TempDir Path tmp;

  private CliTest.Run train(String... overrides) {
    CliTest.Run r = CliTest.cli(TrainArgs.of(tmp, overrides));
    assertEquals(0, r.code(), r.out() + r.err());
    return r;
  }

  private static String[] plateau(String... more) {
    return Stream.concat(Stream.of(PLATEAU), Stream.of(more)).toArray(String[]::new);
  }

  /** The run really is on a plateau: every epoch's validation loss is the first's. */
  private static void assertPlateau(List<Map<String, String>> rows) {
    List<Double> val = TrainArgs.column(rows, "val_loss");
    assertTrue(val.stream().allMatch(v -> v.equals(val.get(0))), "a plateau: " + val);
  }

  @SuppressWarnings("unchecked")
  private Map<String, List<Object>> history() throws IOException {
    Map<String, Object> h =
        JSON.std.mapFrom(Files.readString(tmp.resolve("models/mlp/1/assets.extra/history.json")));
    Map<String, List<Object>> out = new java.util.LinkedHashMap<>();
    h.forEach((k, v) -> out.put(k, (List<Object>) v));
    return out;
  }

  @ParameterizedTest(name = "patience {0} stops after epoch {1}")
  @CsvSource({"0, 2", "2, 3"})
  void earlyStoppingEndsTheRunOnceItsPatienceRunsOut(int patience, int last) throws IOException {
    Path csv = tmp.resolve("log.csv");
    CliTest.Run r =
        train(
            plateau(
                "--epochs", "5", "--early-stopping", "" + patience, "--csv-log", csv.toString()));
    List<Map<String, String>> rows = TrainArgs.csv(csv);
    assertPlateau(rows);
    // Keras: epoch 1 is the best (nothing before it); each later epoch waits one more
    assertEquals(last, rows.size(), "epochs trained: " + rows);
    assertTrue(r.out().contains("Epoch " + last + "/5"), r.out());
    assertFalse(r.out().contains("Epoch " + (last + 1) + "/5"), r.out());
    assertTrue(r.out().contains("Epoch " + last + ": early stopping"), r.out());
    assertTrue(
        r.out().contains("Restoring model weights from the end of the best epoch: 1."), r.out());
    assertEquals(last, history().get("epoch").size(), "the exported history");
    assertTrue(Files.exists(tmp.resolve("ck/epoch-000" + last)));
    assertFalse(Files.exists(tmp.resolve("ck/epoch-000" + (last + 1))));
  }

  @Test
  void reduceLrOnPlateauDropsTheRateAsTheCsvLogShows() throws IOException {
    Path csv = tmp.resolve("log.csv");
    CliTest.Run r =
        train(plateau("--epochs", "3", "--reduce-lr-on-plateau", "1", "--csv-log", csv.toString()));
    List<Map<String, String>> rows = TrainArgs.csv(csv);
    assertPlateau(rows);
    assertEquals(3, rows.size(), "the rate drops, the run goes on: " + rows);
    // each row holds the rate the callbacks left for the next epoch, a float32 as Keras keeps it
    float lr1 = 1e-30f;
    float lr2 = (float) (lr1 * 0.1);
    float lr3 = (float) (lr2 * 0.1);
    assertEquals(
        List.of(lr1, lr2, lr3),
        rows.stream().map(x -> Float.parseFloat(x.get("learning_rate"))).toList());
    assertFalse(r.out().contains("Epoch 1: ReduceLROnPlateau"), r.out());
    assertTrue(
        r.out().contains("Epoch 2: ReduceLROnPlateau reducing learning rate to " + lr2 + "."),
        r.out());
    assertTrue(
        r.out().contains("Epoch 3: ReduceLROnPlateau reducing learning rate to " + lr3 + "."),
        r.out());
  }

  @Test
  void monitorChoosesTheFigureWatched() throws IOException {
    // one validation image: its accuracy is 0 or 1, so it cannot improve two epochs running, and
    // with a patience of 1 a run watching it stops by epoch 3
    Path a = tmp.resolve("a.csv");
    CliTest.Run watched =
        train(
            "--test-limit",
            "1",
            "--epochs",
            "4",
            "--early-stopping",
            "1",
            "--monitor",
            "val_accuracy",
            "--csv-log",
            a.toString(),
            "--no-checkpoints",
            "--no-export");
    List<Double> valAccuracy = TrainArgs.column(TrainArgs.csv(a), "val_accuracy");
    int stop = kerasStop(valAccuracy, true, 1);
    assertTrue(stop >= 2 && stop <= 3, "stops by epoch 3: " + valAccuracy);
    assertEquals(stop, valAccuracy.size(), watched.out());
    assertTrue(watched.out().contains("Epoch " + stop + ": early stopping"), watched.out());

    // the same run watching the training loss, which falls every epoch, runs to the end
    Path b = tmp.resolve("b.csv");
    CliTest.Run loss =
        train(
            "--test-limit",
            "1",
            "--epochs",
            "4",
            "--early-stopping",
            "1",
            "--monitor",
            "loss",
            "--csv-log",
            b.toString(),
            "--no-checkpoints",
            "--no-export");
    List<Double> trainLoss = TrainArgs.column(TrainArgs.csv(b), "loss");
    assertEquals(4, trainLoss.size(), loss.out());
    assertEquals(0, kerasStop(trainLoss, false, 1), "the loss falls every epoch: " + trainLoss);
    assertFalse(loss.out().contains("early stopping"), loss.out());
  }

  /** Keras' EarlyStopping (min_delta 0): the epoch it stops after, or 0 if it never does. */
  private static int kerasStop(List<Double> values, boolean higherIsBetter, int patience) {
    double best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    int wait = 0;
    for (int i = 0; i < values.size(); i++) {
      double v = values.get(i);
      wait++;
      if (higherIsBetter ? v > best : v < best) {
        best = v;
        wait = 0;
      } else if (wait >= patience && i > 0) {
        return i + 1;
      }
    }
    return 0;
  }

  @Test
  void csvLogHasKerasColumnsAndBestKeepsTheBestEpoch() throws IOException {
    Path csv = tmp.resolve("log.csv");
    train("--epochs", "3", "--best", "--csv-log", csv.toString());
    List<String> lines = Files.readAllLines(csv);
    assertEquals("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", lines.get(0));
    List<Map<String, String>> rows = TrainArgs.csv(csv);
    assertEquals(3, rows.size(), lines.toString());
    Map<String, List<Object>> h = history();
    for (int i = 0; i < 3; i++) {
      Map<String, String> row = rows.get(i);
      assertEquals(String.valueOf(i), row.get("epoch"), "epochs count from 0");
      assertEquals(0.001f, Float.parseFloat(row.get("learning_rate")));
      for (String k : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
        assertEquals(
            ((Number) h.get(k).get(i)).doubleValue(),
            Double.parseDouble(row.get(k)),
            k + " of epoch " + i + " as history.json has it");
      }
    }

    // best/ is the first epoch of the highest validation accuracy, with that epoch's weights
    List<Double> valAccuracy = TrainArgs.column(rows, "val_accuracy");
    int best = valAccuracy.indexOf(valAccuracy.stream().max(Double::compare).orElseThrow()) + 1;
    Path bestDir = tmp.resolve("ck/best");
    assertEquals(best, Checkpoints.read(bestDir).state().epoch(), valAccuracy.toString());
    Path models = tmp.resolve("models");
    CliTest.Run export =
        CliTest.cli(
            "export", "--checkpoint", bestDir.toString(), "--models-dir", models.toString());
    assertEquals(0, export.code(), export.err());
    CliTest.Run eval =
        CliTest.cli(
            "evaluate",
            "--model",
            models.resolve("mlp/2").toString(),
            "--limit",
            "500",
            "--format",
            "json",
            "--data-dir",
            TestData.dataRoot().toString());
    assertEquals(0, eval.code(), eval.err());
    double accuracy = ((Number) JSON.std.mapFrom(eval.out()).get("accuracy")).doubleValue();
    assertEquals(valAccuracy.get(best - 1), accuracy, 1e-12, "best/ holds epoch " + best);
  }

  @Test
  void bestWatchesTheValidationAccuracy() throws IOException {
    // one validation image: its accuracy is 0 or 1 and soon stays at 1, while its loss goes on
    // falling, so the best epoch by accuracy (the first to reach 1) is not the best by loss
    Path csv = tmp.resolve("log.csv");
    train(
        "--test-limit", "1", "--epochs", "3", "--best", "--csv-log", csv.toString(), "--no-export");
    List<Map<String, String>> rows = TrainArgs.csv(csv);
    List<Double> valAccuracy = TrainArgs.column(rows, "val_accuracy");
    int best = valAccuracy.indexOf(valAccuracy.stream().max(Double::compare).orElseThrow()) + 1;
    assertEquals(best, Checkpoints.read(tmp.resolve("ck/best")).state().epoch(), rows.toString());
  }

  @Test
  void bestKeepsTheFirstOfEpochsThatTie() throws IOException {
    Path csv = tmp.resolve("log.csv");
    train(plateau("--epochs", "3", "--best", "--csv-log", csv.toString(), "--no-export"));
    List<Map<String, String>> rows = TrainArgs.csv(csv);
    assertPlateau(rows);
    assertEquals(3, rows.size());
    List<Double> valAccuracy = TrainArgs.column(rows, "val_accuracy");
    assertTrue(valAccuracy.stream().allMatch(v -> v.equals(valAccuracy.get(0))), "all tie");
    assertEquals(1, Checkpoints.read(tmp.resolve("ck/best")).state().epoch());
    assertEquals(3, Checkpoints.read(tmp.resolve("ck/epoch-0003")).state().epoch());
  }
}
