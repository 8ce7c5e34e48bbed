package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short forms a Keras user writes give the same layer as the long constructors: {@code
 * Conv2D(filters, kernel)} is linear with stride 1 and valid padding, {@code padding}, {@code
 * strides} and {@code activation} change one argument each and keep the rest (the bias included),
 * and the pooling layers' no-argument forms pool 2x2.
 */
@Timeout(30)
class KerasLayerDefaultsTest {

  private static final long[] IMAGE = {28, 28, 1};

  @Test
  void conv2dWithFiltersAndKernelIsKerasDefault() {
    Conv2D shortForm = new Conv2D(6, 5);
    Conv2D longForm = new Conv2D(6, 5, 5, 1, Padding.VALID, Activation.LINEAR);
    assertEquals(longForm.config(), shortForm.config());
    assertEquals(Activation.LINEAR, shortForm.activation());
    assertArrayEquals(new long[] {24, 24, 6}, shortForm.outputShape(IMAGE));
  }

  @Test
  void conv2dPaddingStridesAndActivationChangeOneArgumentEach() {
    Conv2D same = new Conv2D(6, 5, Activation.RELU).padding(Padding.SAME);
    assertEquals(new Conv2D(6, 5, 5, 1, Padding.SAME, Activation.RELU).config(), same.config());
    assertArrayEquals(new long[] {28, 28, 6}, same.outputShape(IMAGE));

    Conv2D strided = new Conv2D(8, 3).strides(2).activation(Activation.RELU);
    assertEquals(new Conv2D(8, 3, 3, 2, Padding.VALID, Activation.RELU).config(), strided.config());
    assertArrayEquals(new long[] {13, 13, 8}, strided.outputShape(IMAGE));

    Conv2D noBias = new Conv2D(8, 3).withoutBias().padding(Padding.SAME);
    assertFalse(noBias.useBias(), "padding(...) keeps use_bias=False");
    assertEquals(
        new Conv2D(8, 3, 3, 1, Padding.SAME, Activation.LINEAR).withoutBias().config(),
        noBias.config());
  }

  @Test
  void poolingWithoutArgumentsPoolsTwoByTwo() {
    assertEquals(new MaxPooling2D(2, 2, Padding.VALID).config(), new MaxPooling2D().config());
    assertEquals(
        new AveragePooling2D(2, 2, Padding.VALID).config(), new AveragePooling2D().config());
    assertArrayEquals(new long[] {14, 14, 1}, new MaxPooling2D().outputShape(IMAGE));
    assertEquals(
        new MaxPooling2D(3, 1, Padding.SAME).config(),
        new MaxPooling2D(3).strides(1).padding(Padding.SAME).config());
    assertEquals(
        new AveragePooling2D(2, 1, Padding.SAME).config(),
        new AveragePooling2D().padding(Padding.SAME).strides(1).config());
    assertArrayEquals(
        new long[] {28, 28, 1},
        new AveragePooling2D().padding(Padding.SAME).strides(1).outputShape(IMAGE));
  }
}
