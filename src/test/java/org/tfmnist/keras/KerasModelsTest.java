package org.tfmnist.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.train.History;
import org.tfmnist.train.Model;

/**
 * Keras' own files through {@link Model#loadKeras} (the Keras CNN's form and the TF2 beginner
 * tutorial's functional MLP with {@code from_logits}, each as {@code .keras} and {@code .h5}):
 * Keras' outputs within 1e-6, its optimizer's step, training on that goes on, and {@link
 * Model#saveKeras} then {@code loadKeras} gives the same weights.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KerasModelsTest {

  @TempDir Path tmp;

  static Path fixture(String name) {
    return org.tfmnist.KerasFixtures.path(name);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> expected(String model) throws Exception {
    return (Map<String, Object>)
        JSON.std.mapFrom(java.nio.file.Files.readString(fixture("small_expected.json"))).get(model);
  }

  @Test
  void kerasFilesPredictAsKerasDidAndTrainOn() throws Exception {
    LabeledImages first8 = TestData.test().limit(8);
    LabeledImages slice = TestData.train().limit(256);
    for (String model : List.of("small_cnn", "beginner")) {
      Map<String, Object> want = expected(model);
      for (String ext : List.of(".keras", ".h5")) {
        String what = model + ext;
        try (Model m = Model.loadKeras(fixture(model + ext), 1)) {
          assertEquals(((Number) want.get("params")).longValue(), m.network().paramCount(), what);
          m.build(slice, first8, 32);
          float[][] got = m.predict(first8);
          List<?> rows = (List<?>) want.get("outputs");
          double worst = 0;
          for (int i = 0; i < 8; i++) {
            List<?> row = (List<?>) rows.get(i);
            for (int k = 0; k < 10; k++) {
              worst = Math.max(worst, Math.abs(((Number) row.get(k)).doubleValue() - got[i][k]));
            }
          }
          assertTrue(worst <= 1e-6, what + ": max |d| " + worst);
          assertEquals(
              ((Number) want.get("iterations")).longValue(),
              m.graph().globalStep(),
              what + ": the optimizer continues from Keras' step");
          History h = m.fit(slice, first8, 2, 32, List.of());
          assertTrue(h.epochs().get(1).loss() < h.epochs().get(0).loss(), what + ": " + h.epochs());
        }
      }
    }
    try (Model m = Model.loadKeras(fixture("beginner.keras"))) {
      assertEquals(Loss.SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS, m.loss());
    }
  }

  @Test
  void savedThenLoadedIsTheSameModel() throws Exception {
    LabeledImages slice = TestData.train().limit(128);
    Path file = tmp.resolve("again.keras");
    WeightSnapshot before;
    long step;
    try (Model m = Model.loadKeras(fixture("small_cnn.keras"), 1)) {
      m.fit(slice, slice, 1, 32, List.of());
      step = m.graph().globalStep();
      before = m.weights();
      m.saveKeras(file);
    }
    try (Model again = Model.loadKeras(file, 1)) {
      again.build(slice, slice, 32);
      assertEquals(step, again.graph().globalStep());
      WeightSnapshot after = again.weights();
      assertEquals(before.names(), after.names());
      for (String k : before.names()) {
        for (long i = 0; i < before.get(k).size(); i++) {
          assertEquals(
              before.get(k).asRawTensor().data().asFloats().getFloat(i),
              after.get(k).asRawTensor().data().asFloats().getFloat(i),
              k);
        }
      }
      after.close();
    } finally {
      before.close();
    }
  }
}
