package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tfmnist.presets.Presets;

class SequentialTest {

  @Test
  void presetParameterCountsEqualKeras() {
    // Keras' model.summary() totals for the tutorials' models
    assertEquals(407_050, Presets.mlp().model().paramCount());
    assertEquals(669_706, Presets.mlpDropout().model().paramCount());
    assertEquals(118_282, Presets.mlpSmall().model().paramCount());
    assertEquals(784 * 30 + 30 + 30 * 10 + 10, Presets.nielsen().model().paramCount());
  }

  @Test
  void layersAreNamedAndShapedAsKerasDoes() {
    Sequential m = Presets.mlpDropout().model();
    List<String> names = m.layers().stream().map(Sequential.BuiltLayer::name).toList();
    assertEquals(
        List.of(
            "flatten",
            "dense",
            "activation",
            "dropout",
            "dense_1",
            "activation_1",
            "dropout_1",
            "dense_2",
            "activation_2"),
        names);
    assertArrayEquals(new long[] {784}, m.layers().get(0).outputShape());
    assertArrayEquals(new long[] {10}, m.outputShape());
    assertEquals(
        List.of(
            "dense_kernel",
            "dense_bias",
            "dense_1_kernel",
            "dense_1_bias",
            "dense_2_kernel",
            "dense_2_bias"),
        m.weights().stream().map(Sequential.WeightVariable::variableName).toList());
    assertArrayEquals(new long[] {784, 512}, m.weights().get(0).spec().shape());
    assertTrue(hasLogits(m), "a softmax output gives the loss its logits");
    assertFalse(hasLogits(Presets.nielsen().model()), "a sigmoid output does not");
  }

  /** Whether the forward pass finds logits under the output, as Keras' cross-entropy does. */
  private static boolean hasLogits(Sequential m) {
    try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
      java.util.Map<String, org.tensorflow.Operand<org.tensorflow.types.TFloat32>> w =
          new java.util.HashMap<>();
      for (Sequential.WeightVariable x : m.weights()) {
        w.put(
            x.variableName(),
            tf.zeros(tf.constant(x.spec().shape()), org.tensorflow.types.TFloat32.class));
      }
      Sequential.Forward f =
          m.forward(
              tf,
              tf.zeros(tf.constant(new long[] {1, 28, 28}), org.tensorflow.types.TFloat32.class),
              w,
              Context.inference());
      return f.logits() != null;
    }
  }

  @Test
  void summaryPrintsTheKerasTable() {
    String s = Presets.mlp().model().summary();
    assertTrue(s.contains(" Layer (type)"), s);
    assertTrue(s.matches("(?s).*dense \\(Dense\\)\\s+\\(None, 512\\)\\s+401,920.*"), s);
    assertTrue(s.matches("(?s).*dense_1 \\(Dense\\)\\s+\\(None, 10\\)\\s+5,130.*"), s);
    assertTrue(s.contains("Total params: 407,050 (1.55 MB)"), s);
    assertTrue(s.contains("Non-trainable params: 0"), s);
  }

  @Test
  void shapeErrorsNameTheLayer() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Sequential.of("bad", Sequential.input(28, 28), new Dense(10)));
    assertTrue(e.getMessage().startsWith("dense (Dense)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Sequential.of("bad", Sequential.input(28, 28), new Reshape(28, 27)));
  }
}
