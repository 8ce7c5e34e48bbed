package org.tfmnist.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keras' rule for an improvement (EarlyStopping, ReduceLROnPlateau, ModelCheckpoint with {@code
 * mode="auto"}): an accuracy improves when {@code current - min_delta > best}, a loss when {@code
 * current + min_delta < best}, both strictly. The values are exact in binary, so each boundary is
 * the boundary itself.
 */
@Timeout(30)
class MonitorTest {

  @ParameterizedTest(name = "{0}: {1} against best {2}, min_delta {3} -> {4}")
  @CsvSource({
    // an accuracy: higher is better
    "val_accuracy, 0.75, 0.5,  0,    true",
    "val_accuracy, 0.5,  0.5,  0,    false",
    "val_accuracy, 0.25, 0.5,  0,    false",
    "accuracy,     0.75, 0.5,  0.25, false",
    "accuracy,     0.8,  0.5,  0.25, true",
    // a loss: lower is better
    "val_loss,     0.25, 0.5,  0,    true",
    "val_loss,     0.5,  0.5,  0,    false",
    "val_loss,     0.75, 0.5,  0,    false",
    "loss,         0.25, 0.5,  0.25, false",
    "loss,         0.2,  0.5,  0.25, true",
  })
  void improvesAsKerasDecides(
      String name, double current, double best, double minDelta, boolean improves) {
    assertEquals(improves, new Monitor(name).improves(current, best, minDelta));
  }

  @Test
  void theFirstValueAlwaysImprovesOnTheWorst() {
    for (String name : new String[] {"loss", "accuracy", "val_loss", "val_accuracy"}) {
      Monitor m = new Monitor(name);
      assertEquals(name.endsWith("accuracy"), m.higherIsBetter(), name);
      assertEquals(true, m.improves(name.endsWith("accuracy") ? 0 : 1e30, m.worst(), 0), name);
    }
  }

  @Test
  void onlyKerasFiguresCanBeMonitored() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Monitor("val_acc"));
    assertEquals(
        "cannot monitor 'val_acc' (one of loss, accuracy, val_loss, val_accuracy)", e.getMessage());
  }
}
