package org.tfmnist.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.optim.LearningRate;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Presets;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.EpochRecorder;
import org.tfmnist.train.History;
import org.tfmnist.train.Model;
import org.tfmnist.train.NonFiniteLossException;
import org.tfmnist.train.Recipe;
import org.tfmnist.train.TinyRuns;

/**
 * Each of Keras' callbacks doing its job in a tiny real run of the MLP preset (1,000 MNIST training
 * images, 500 test images for validation, 1 to 5 epochs): TerminateOnNaN stops a diverging run
 * before a checkpoint keeps its epoch; EarlyStopping stops after its patience and restores the best
 * epoch's weights bit for bit; ReduceLROnPlateau divides the rate as Keras does and refuses a
 * schedule; LearningRateScheduler sets the rate before each epoch; CSVLogger writes Keras' columns
 * and appends; ModelCheckpoint keeps the first of the best epochs; BackupAndRestore resumes to the
 * same weights as an uninterrupted run (the logging callbacks: LoggersTest).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CallbacksTest {

  private static final long SEED = 7;
  private static final int BATCH = 128;

  @TempDir Path tmp;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private static LabeledImages train() {
    return TinyRuns.train();
  }

  private static LabeledImages validation() {
    return TinyRuns.validation();
  }

  private static Model mlp(OptimizerSpec optimizer) {
    return TinyRuns.mlp(optimizer, SEED);
  }

  private static Recipe recipe(Model m, int epochs) {
    return Recipe.compile(m.optimizer(), Presets.mlp().recipe().loss())
        .withEpochs(epochs)
        .withBatchSize(BATCH);
  }

  /** What a checkpoint of {@code m} records after an epoch (as TrainingJob builds it). */
  private static Function<History.Epoch, Checkpoints.State> state(Model m, int epochs) {
    Recipe r = recipe(m, epochs);
    return e ->
        Checkpoints.State.builder("mlp")
            .epoch(e.epoch())
            .recipe(r)
            .seed(SEED)
            .limits(1000, 500)
            .globalStep(m.iterations())
            .history(m.history())
            .build();
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void terminateOnNaNStopsInTheFirstEpochBeforeAnyCheckpointOfIt() {
    Checkpoints ck = new Checkpoints(tmp.resolve("ck"), 5);
    try (Model m = mlp(OptimizerSpec.sgd().withLearningRate(1e9))) {
      NonFiniteLossException e =
          assertThrows(
              NonFiniteLossException.class,
              () ->
                  m.fit(
                      train(),
                      validation(),
                      3,
                      BATCH,
                      List.of(
                          new TerminateOnNaN(),
                          new BackupAndRestore(ck, Optional.empty(), state(m, 3), out))));
      assertTrue(
          e.getMessage().matches("the loss became (NaN|infinite) in epoch 1 .*"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line");
    }
    assertEquals(0, ck.count(), "no checkpoint of the NaN epoch");
    assertFalse(Files.exists(tmp.resolve("ck/epoch-0001")));
    assertTrue(ck.latest().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void earlyStoppingStopsAfterItsPatienceAndRestoresTheBestWeights(boolean restore) {
    EpochRecorder rec = new EpochRecorder();
    try (Model m = mlp(null)) {
      // no epoch after the first can beat it by a billion
      History h =
          m.fit(
              train(),
              validation(),
              5,
              BATCH,
              List.of(new EarlyStopping(new Monitor("val_loss"), 1e9, 1, restore, out), rec));
      assertEquals(2, h.epochs().size(), "stopped after epoch 2");
      assertEquals(List.of(1, 2), h.epochs().stream().map(History.Epoch::epoch).toList());
      assertEquals(2, rec.epochs().size());
      Map<String, float[]> epoch1 = rec.epoch(1).weights();
      Map<String, float[]> epoch2 = rec.epoch(2).weights();
      assertFalse(EpochRecorder.sameBits(epoch1, epoch2), "epoch 2 trained");
      Map<String, float[]> after = EpochRecorder.weightsOf(m);
      if (restore) {
        assertTrue(EpochRecorder.sameBits(epoch1, after), "epoch 1's weights restored");
      } else {
        assertTrue(EpochRecorder.sameBits(epoch2, after), "the last epoch's weights kept");
      }
    }
    assertTrue(printed().contains("Epoch 2: early stopping"), printed());
    assertEquals(
        restore,
        printed().contains("Restoring model weights from the end of the best epoch: 1."),
        printed());
  }

  @Test
  void reduceLrOnPlateauDividesTheRateAfterEachEpochWithoutImprovement() {
    EpochRecorder rec = new EpochRecorder();
    try (Model m = mlp(null)) {
      m.fit(
          train(),
          validation(),
          3,
          BATCH,
          List.of(new ReduceLROnPlateau(new Monitor("val_loss"), 0.1, 1, 1e9, 0, 0, out), rec));
    }
    // Keras: old_lr = float(the float32 variable); new_lr = old_lr * factor; assigned as float32
    float lr1 = 0.001f;
    float lr2 = (float) ((double) lr1 * 0.1);
    float lr3 = (float) ((double) lr2 * 0.1);
    assertEquals(List.of((double) lr1, (double) lr2, (double) lr3), rec.learningRates());
    List<Double> nominal = List.of(1e-3, 1e-4, 1e-5);
    for (int i = 0; i < 3; i++) {
      assertEquals(nominal.get(i), rec.learningRates().get(i), nominal.get(i) * 1e-7);
    }
    Matcher line =
        Pattern.compile("(?m)^Epoch (\\d+): ReduceLROnPlateau reducing learning rate to (\\S+)\\.$")
            .matcher(printed());
    List<Integer> epochs = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    while (line.find()) {
      epochs.add(Integer.parseInt(line.group(1)));
      rates.add(Double.parseDouble(line.group(2)));
    }
    assertEquals(List.of(2, 3), epochs, printed());
    assertEquals(1e-4, rates.get(0), 1e-4 * 1e-7);
    assertEquals(1e-5, rates.get(1), 1e-5 * 1e-7);
  }

  @Test
  void reduceLrOnPlateauRefusesARateThatFollowsASchedule() {
    OptimizerSpec scheduled =
        OptimizerSpec.adam().withSchedule(new LearningRate.ExponentialDecay(0.001, 10, 0.9, false));
    try (Model m = mlp(scheduled)) {
      assertThrows(
          IllegalArgumentException.class,
          () ->
              m.fit(
                  train(),
                  validation(),
                  2,
                  BATCH,
                  List.of(new ReduceLROnPlateau(new Monitor("val_loss"), 0.1, 1, 0, 0, 0, out))));
      assertTrue(m.history().isEmpty(), "no epoch trained");
    }
  }

  @Test
  void learningRateSchedulerSetsTheRateBeforeEachEpoch() {
    EpochRecorder scheduled = new EpochRecorder();
    EpochRecorder constant = new EpochRecorder();
    try (Model m = mlp(OptimizerSpec.sgd().withLearningRate(0.01))) {
      m.fit(
          train(),
          validation(),
          3,
          BATCH,
          List.of(new LearningRateScheduler((epoch, lr) -> 0.01 * (epoch + 1), out), scheduled));
      assertEquals(0.03f, (float) m.learningRate());
    }
    try (Model m = mlp(OptimizerSpec.sgd().withLearningRate(0.01))) {
      m.fit(train(), validation(), 3, BATCH, List.of(constant));
    }
    assertEquals(
        List.of((double) 0.01f, (double) 0.02f, (double) 0.03f), scheduled.learningRates());
    assertTrue(
        EpochRecorder.sameBits(scheduled.epoch(1).weights(), constant.epoch(1).weights()),
        "epoch 0's rate is the constant run's");
    assertFalse(
        EpochRecorder.sameBits(scheduled.epoch(3).weights(), constant.epoch(3).weights()),
        "then faster rates, other weights");
    for (int e = 1; e <= 3; e++) {
      assertTrue(
          printed()
              .contains(
                  "Epoch " + e + ": LearningRateScheduler setting learning rate to 0.0" + e + "."),
          printed());
    }
  }

  @Test
  void csvLoggerWritesKerasColumnsOneRowPerEpochAndAppends() throws IOException {
    Path csv = tmp.resolve("log.csv");
    LabeledImages train = train();
    LabeledImages val = validation();
    History h;
    double lr;
    try (Model m = mlp(null)) {
      m.fit(train, val, 2, BATCH, List.of(new CSVLogger(csv, false)));
      List<String> first = Files.readAllLines(csv);
      assertEquals(3, first.size(), first.toString());
      // the same model trained on: a second fit appends its epoch without a second header
      h = m.fit(train, val, 3, BATCH, List.of(new CSVLogger(csv, true)));
      lr = m.learningRate();
    }
    List<String> lines = Files.readAllLines(csv);
    assertEquals("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", lines.get(0));
    assertEquals(4, lines.size(), lines.toString());
    assertEquals(3, h.epochs().size());
    for (int i = 0; i < 3; i++) {
      String[] f = lines.get(i + 1).split(",");
      History.Epoch e = h.epochs().get(i);
      assertEquals(6, f.length, lines.get(i + 1));
      assertEquals(i, Integer.parseInt(f[0]), "epochs count from 0");
      assertEquals(e.accuracy(), Double.parseDouble(f[1]));
      assertEquals((float) lr, Float.parseFloat(f[2]));
      assertEquals(e.loss(), Double.parseDouble(f[3]));
      assertEquals(e.valAccuracy(), Double.parseDouble(f[4]));
      assertEquals(e.valLoss(), Double.parseDouble(f[5]));
    }
    // append=false starts the file afresh
    try (Model m = mlp(null)) {
      m.fit(train, val, 1, BATCH, List.of(new CSVLogger(csv, false)));
    }
    lines = Files.readAllLines(csv);
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(1).startsWith("0,"), lines.toString());
  }

  @Test
  void modelCheckpointKeepsTheFirstOfTheBestEpochs() {
    Checkpoints ck = new Checkpoints(tmp.resolve("ck"), 1);
    EpochRecorder rec = new EpochRecorder();
    History h;
    // ten images the model trains on: their accuracy soon stops changing, so bests tie
    LabeledImages train = train();
    LabeledImages val = train.first(10);
    try (Model m = mlp(null)) {
      h =
          m.fit(
              train,
              val,
              4,
              BATCH,
              List.of(new ModelCheckpoint(ck, new Monitor("val_accuracy"), state(m, 4)), rec));
    }
    int expected = 0;
    double best = Double.NEGATIVE_INFINITY;
    int atBest = 0;
    for (History.Epoch e : h.epochs()) {
      if (e.valAccuracy() > best) {
        best = e.valAccuracy();
        expected = e.epoch();
      }
    }
    for (History.Epoch e : h.epochs()) {
      atBest += e.valAccuracy() == best ? 1 : 0;
    }
    assertTrue(atBest > 1, "a tie at the best (the test's premise): " + h.toCsv());
    Checkpoints.Saved saved = Checkpoints.read(tmp.resolve("ck/best"));
    assertEquals(expected, saved.state().epoch(), h.toCsv());
    assertEquals(expected, saved.state().history().epochs().size());

    // and best/ holds that epoch's weights, bit for bit
    try (Model m = mlp(null)) {
      m.fit(
          train,
          val,
          expected,
          BATCH,
          List.of(
              new BackupAndRestore(
                  new Checkpoints(tmp.resolve("other"), 1), Optional.of(saved), state(m, 4), out)));
      assertTrue(EpochRecorder.sameBits(rec.epoch(expected).weights(), EpochRecorder.weightsOf(m)));
    }
  }

  @Test
  void backupAndRestoreResumesToTheSameWeightsAsAnUninterruptedRun() {
    LabeledImages train = train();
    LabeledImages val = validation();
    Map<String, float[]> straight;
    History straightHistory;
    try (Model m = mlp(null)) {
      straightHistory =
          m.fit(
              train,
              val,
              3,
              BATCH,
              List.of(
                  new BackupAndRestore(
                      new Checkpoints(tmp.resolve("a"), 2), Optional.empty(), state(m, 3), out)));
      straight = EpochRecorder.weightsOf(m);
    }
    Checkpoints ck = new Checkpoints(tmp.resolve("b"), 2);
    try (Model m = mlp(null)) {
      m.fit(
          train,
          val,
          2,
          BATCH,
          List.of(new BackupAndRestore(ck, Optional.empty(), state(m, 2), out)));
    }
    Checkpoints.Saved latest = ck.latest().orElseThrow();
    assertEquals(2, latest.state().epoch());
    History resumed;
    Map<String, float[]> after;
    try (Model m = mlp(null)) {
      resumed =
          m.fit(
              train,
              val,
              3,
              BATCH,
              List.of(new BackupAndRestore(ck, Optional.of(latest), state(m, 3), out)));
      after = EpochRecorder.weightsOf(m);
    }
    assertTrue(
        printed().contains("Resuming from " + latest.dir() + ": 2 of 3 epochs done"), printed());
    assertTrue(EpochRecorder.sameBits(straight, after), "the same weights, bit for bit");
    assertEquals(straightHistory.epochs().size(), resumed.epochs().size());
    for (int i = 0; i < 3; i++) {
      History.Epoch a = straightHistory.epochs().get(i);
      History.Epoch b = resumed.epochs().get(i);
      assertEquals(a.loss(), b.loss(), "loss of epoch " + (i + 1));
      assertEquals(a.accuracy(), b.accuracy());
      assertEquals(a.valLoss(), b.valLoss());
      assertEquals(a.valAccuracy(), b.valAccuracy());
    }
    assertEquals(3, ck.latest().orElseThrow().state().epoch(), "the resumed run backs up too");
  }
}
