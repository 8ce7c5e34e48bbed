package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.eval.Evaluation;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.optim.LearningRate;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.runtime.ServingModel;

/**
 * Keras' {@code Model} on tiny real runs of the MLP preset (1,000 MNIST training images, 500 for
 * validation, 1 to 3 epochs): a learning-rate schedule computed in the graph follows Keras' formula
 * of the global step (CosineDecay, ExponentialDecay with and without staircase) and, inside the
 * decay, the values Keras' documented formulas give when worked by hand; evaluate and predict on
 * data the graph was not built with, and their agreement with the exported SavedModel; {@code
 * weights()} is a snapshot that later training leaves alone and {@code setWeights} puts back;
 * compile after fit and fit before compile are refused.
 */
@Timeout(300)
class ModelTest {

  private static final long SEED = 11;
  private static final int BATCH = 128;

  @TempDir Path tmp;

  private static LabeledImages train() {
    return TinyRuns.train();
  }

  private static LabeledImages validation() {
    return TinyRuns.validation();
  }

  private static Model mlp(OptimizerSpec optimizer) {
    return TinyRuns.mlp(optimizer, SEED);
  }

  static Stream<LearningRate> schedules() {
    // 1,000 images in batches of 128: 8 steps an epoch, so 3 epochs run 24 steps
    return Stream.of(
        new LearningRate.CosineDecay(0.01, 12, 0.1),
        new LearningRate.ExponentialDecay(0.01, 5, 0.5, true),
        new LearningRate.ExponentialDecay(0.01, 5, 0.5, false));
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void aScheduleInTheGraphFollowsKerasFormulaOfTheGlobalStep(LearningRate schedule) {
    EpochRecorder rec = new EpochRecorder();
    try (Model m = mlp(OptimizerSpec.sgd().withSchedule(schedule))) {
      assertTrue(m.hasSchedule());
      m.fit(train(), validation(), 3, BATCH, List.of(rec));
      assertEquals(24, m.graph().globalStep());
      assertEquals((float) schedule.at(24), (float) m.learningRate(), 1e-6 * schedule.at(24));
      assertThrows(
          IllegalStateException.class,
          () -> m.setLearningRate(0.1),
          "a scheduled rate cannot be set");
    }
    assertEquals(
        List.of(8L, 16L, 24L),
        rec.epochs().stream().map(EpochRecorder.Snapshot::globalStep).toList());
    for (EpochRecorder.Snapshot s : rec.epochs()) {
      double expected = schedule.at(s.globalStep());
      assertEquals(
          expected,
          s.learningRate(),
          1e-6 * expected,
          "the rate after " + s.globalStep() + " steps");
    }
    if (schedule instanceof LearningRate.CosineDecay c) {
      // past decay_steps the rate stays at alpha * initial
      for (EpochRecorder.Snapshot s : rec.epochs().subList(1, 3)) {
        assertEquals(c.alpha() * c.initialLearningRate(), s.learningRate(), 1e-9);
      }
    }
    if (schedule instanceof LearningRate.ExponentialDecay e && e.staircase()) {
      // floor(step / 5): 8 -> 1, 16 -> 3, 24 -> 4
      assertEquals(
          List.of((double) 0.005f, (double) 0.00125f, (double) 0.000625f), rec.learningRates());
    }
  }

  static Stream<Arguments> kerasValuesInsideTheDecay() {
    // Keras' documented formulas worked by hand at the ends of the three epochs (steps 8, 16, 24),
    // all before decay_steps: the values Keras would log, not this project's own at(step)
    return Stream.of(
        // CosineDecay(0.01, decay_steps=48, alpha=0.1):
        //   0.01 * ((1 - 0.1) * 0.5 * (1 + cos(pi * step / 48)) + 0.1)
        //   step 8:  cos(pi/6) = 0.8660254 -> 0.01 * (0.9 * 0.9330127 + 0.1) = 0.0093971143
        //   step 16: cos(pi/3) = 0.5       -> 0.01 * (0.9 * 0.75 + 0.1)      = 0.00775
        //   step 24: cos(pi/2) = 0         -> 0.01 * (0.9 * 0.5 + 0.1)       = 0.0055
        Arguments.of(
            new LearningRate.CosineDecay(0.01, 48, 0.1),
            new double[] {0.0093971143, 0.00775, 0.0055}),
        // ExponentialDecay(0.01, decay_steps=16, decay_rate=0.5): 0.01 * 0.5 ^ (step / 16)
        //   step 8:  0.5 ^ 0.5 = 0.70710678 -> 0.0070710678
        //   step 16: 0.5 ^ 1               -> 0.005
        //   step 24: 0.5 ^ 1.5 = 0.35355339 -> 0.0035355339
        Arguments.of(
            new LearningRate.ExponentialDecay(0.01, 16, 0.5, false),
            new double[] {0.0070710678, 0.005, 0.0035355339}),
        // the same with staircase=True: 0.01 * 0.5 ^ floor(step / 16)
        //   step 8: floor(0.5) = 0 -> 0.01; step 16: floor(1) = 1 -> 0.005;
        //   step 24: floor(1.5) = 1 -> 0.005
        Arguments.of(
            new LearningRate.ExponentialDecay(0.01, 16, 0.5, true),
            new double[] {0.01, 0.005, 0.005}));
  }

  @ParameterizedTest
  @MethodSource("kerasValuesInsideTheDecay")
  void aScheduleGivesKerasHandComputedRatesInsideTheDecay(
      LearningRate schedule, double[] expected) {
    EpochRecorder rec = new EpochRecorder();
    try (Model m = mlp(OptimizerSpec.sgd().withSchedule(schedule))) {
      m.fit(train(), validation(), 3, BATCH, List.of(rec));
    }
    long[] steps = {8, 16, 24};
    for (int i = 0; i < steps.length; i++) {
      assertEquals(steps[i], rec.epochs().get(i).globalStep());
      // the graph computes in float32: a few units in the 7th significant digit
      assertEquals(
          expected[i],
          rec.epochs().get(i).learningRate(),
          1e-6 * expected[i],
          "the graph's rate at step " + steps[i]);
      // the literals carry 8 significant digits
      assertEquals(expected[i], schedule.at(steps[i]), 1e-7 * expected[i], "at(" + steps[i] + ")");
    }
  }

  @Test
  void evaluateAndPredictOnNewDataAgreeWithTheExportedModel() {
    LabeledImages test = TestData.mnist().test().slice(500, 1000);
    float[][] probabilities;
    Metrics metrics;
    Path exported = tmp.resolve("mlp/1");
    try (Model m = mlp(null)) {
      m.fit(train(), validation(), 2, BATCH, List.of());
      // test was not given to fit: the graph grows an evaluation set for it
      metrics = m.evaluate(test);
      probabilities = m.predict(test);
      assertEquals(metrics, m.evaluate(test), "evaluating again gives the same figures");
      m.export(exported, Map.of());
    }
    assertEquals(500, metrics.count());
    assertEquals(500, probabilities.length);
    Evaluation own = Evaluation.of(probabilities, test);
    assertEquals(metrics.accuracy(), own.accuracy());
    assertEquals(metrics.loss(), own.loss(), 1e-4);
    assertTrue(metrics.accuracy() > 0.7, "1,000 images, 2 epochs: " + metrics);
    float[][] served;
    try (ServingModel sm = ServingModel.load(exported)) {
      served = sm.predict(test);
    }
    assertEquals(probabilities.length, served.length);
    for (int i = 0; i < served.length; i++) {
      for (int c = 0; c < 10; c++) {
        assertEquals(probabilities[i][c], served[i][c], 1e-5, "image " + i + " class " + c);
      }
    }
    assertEquals(metrics.accuracy(), Evaluation.of(served, test).accuracy());
  }

  @Test
  void weightsAreACopyThatLaterTrainingLeavesAlone() {
    LabeledImages train = train();
    try (Model m = mlp(null)) {
      m.fit(train, validation(), 1, BATCH, List.of());
      Map<String, float[]> epoch1 = EpochRecorder.weightsOf(m);
      WeightSnapshot held = m.weights();
      try {
        m.fit(train, validation(), 2, BATCH, List.of());
        assertFalse(EpochRecorder.sameBits(epoch1, EpochRecorder.weightsOf(m)), "trained on");
        assertTrue(
            EpochRecorder.sameBits(epoch1, copy(held.asMap())), "get_weights() is a snapshot");
        m.setWeights(held);
        assertTrue(EpochRecorder.sameBits(epoch1, EpochRecorder.weightsOf(m)), "set_weights");
      } finally {
        held.close();
      }
    }
  }

  private static Map<String, float[]> copy(Map<String, TFloat32> tensors) {
    Map<String, float[]> out = new LinkedHashMap<>();
    tensors.forEach(
        (name, t) -> {
          float[] a = new float[(int) t.size()];
          t.copyTo(DataBuffers.of(a, false, false));
          out.put(name, a);
        });
    return out;
  }

  @Test
  void fitBeforeCompileIsRefusedAndAnotherDataSetOrBatchSizeTrainsOn() {
    Preset p = Presets.mlp();
    LabeledImages train = train();
    try (Model m = new Model(p.model(), SEED, null)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> m.fit(train, validation(), 1, BATCH, List.of()));
      assertTrue(e.getMessage().contains("compile the model before fit"), e.getMessage());
      assertThrows(IllegalStateException.class, () -> m.evaluate(validation()));
      m.compile(p.recipe().optimizer(), p.recipe().loss());
      m.fit(train, validation(), 1, BATCH, List.of());
      assertEquals(8, m.iterations());
      // as Keras: fit on other data, or in other batches, continues from where the model is
      m.fit(train.first(500), validation(), 2, BATCH, List.of());
      assertEquals(8 + 4, m.iterations(), "the step count carries over to the new data");
      m.fit(train, validation(), 3, 256, List.of());
      assertEquals(8 + 4 + 4, m.iterations());
      assertEquals(3, m.history().epochs().size());
    }
  }
}
