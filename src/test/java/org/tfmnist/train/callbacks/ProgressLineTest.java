package org.tfmnist.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Keras' progress line pieces, and the redraw that leaves nothing of a longer line behind. */
class ProgressLineTest {

  @Test
  void aShorterRedrawCoversTheLongerLineBeforeIt() {
    String before = " 12/469 [>.....] - ETA: 10s - loss: 0.3923 - accuracy: 0.87722";
    String after = " 13/469 [>.....] - ETA: 9s - loss: 0.3923 - accuracy: 0.8772";
    String drawn = ProgressLine.padded(after, before.length(), 120);
    assertEquals(before.length(), drawn.length(), "the old line's last characters overwritten");
    assertEquals(after, drawn.stripTrailing());
    assertEquals(after, ProgressLine.padded(after, 10, 120), "a longer line needs no padding");
    assertEquals(50, ProgressLine.padded("x", 80, 50).length(), "never past the terminal");
  }

  @Test
  void kerasPieces() {
    assertEquals("[==========>...................]", ProgressLine.bar(11, 30));
    assertEquals("[==============================]", ProgressLine.bar(469, 469));
    assertEquals(" 12/469", ProgressLine.count(12, 469));
    assertEquals("1m 3s", ProgressLine.duration(63));
    assertEquals("2ms/step", ProgressLine.perStep(0.938, 469));
  }
}
