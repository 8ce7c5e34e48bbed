package org.tfmnist.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The callbacks' no-argument forms hold Keras' defaults, and their setters change one argument each
 * and refuse what the long constructors refuse.
 */
@Timeout(30)
class KerasCallbackDefaultsTest {

  @Test
  void earlyStoppingHasKerasDefaults() {
    EarlyStopping e = new EarlyStopping();
    assertEquals("val_loss", e.monitor().name());
    assertEquals(0.0, e.minDelta());
    assertEquals(0, e.patience());
    assertFalse(e.restoreBestWeights());
  }

  @Test
  void earlyStoppingSettersChangeOneArgumentEach() {
    EarlyStopping e =
        new EarlyStopping()
            .monitor("val_accuracy")
            .minDelta(0.01)
            .patience(3)
            .restoreBestWeights(true);
    assertEquals("val_accuracy", e.monitor().name());
    assertEquals(0.01, e.minDelta());
    assertEquals(3, e.patience());
    assertTrue(e.restoreBestWeights());
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().patience(-1));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().minDelta(-0.1));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().monitor("val_mae"));
  }

  @Test
  void reduceLrOnPlateauHasKerasDefaults() {
    ReduceLROnPlateau r = new ReduceLROnPlateau();
    assertEquals("val_loss", r.monitor().name());
    assertEquals(0.1, r.factor());
    assertEquals(10, r.patience());
    assertEquals(1e-4, r.minDelta());
    assertEquals(0, r.cooldown());
    assertEquals(0.0, r.minLr());
  }

  @Test
  void reduceLrOnPlateauSettersChangeOneArgumentEach() {
    ReduceLROnPlateau r =
        new ReduceLROnPlateau()
            .monitor("loss")
            .factor(0.5)
            .patience(2)
            .minDelta(0.001)
            .cooldown(1)
            .minLr(1e-5);
    assertEquals("loss", r.monitor().name());
    assertEquals(0.5, r.factor());
    assertEquals(2, r.patience());
    assertEquals(0.001, r.minDelta());
    assertEquals(1, r.cooldown());
    assertEquals(1e-5, r.minLr());
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(1.0));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().patience(-1));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().cooldown(-1));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().minLr(-1));
  }
}
