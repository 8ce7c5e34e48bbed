package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Each activation a Keras file may name computes Keras' formula (keras/src/activations). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActivationTest {

  static final float[] X = {-3f, -1f, -0.25f, 0f, 0.5f, 2f};

  /** Keras' SELU constants. */
  static final double ALPHA = 1.67326324235437728481;

  static final double SCALE = 1.05070098735548049311;

  static double erf(double x) {
    // Abramowitz-Stegun 7.1.26 is too coarse for 1e-6; integrate the series instead
    double sum = 0;
    double term = x;
    for (int n = 0; n < 60; n++) {
      sum += term / (2 * n + 1);
      term *= -x * x / (n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  @Test
  void eachActivationIsKerasFormula() {
    check(Activation.ELU, x -> x > 0 ? x : Math.exp(x) - 1);
    check(Activation.SELU, x -> SCALE * (x > 0 ? x : ALPHA * (Math.exp(x) - 1)));
    check(Activation.GELU, x -> 0.5 * x * (1 + erf(x / Math.sqrt(2))));
    check(Activation.SILU, x -> x / (1 + Math.exp(-x)));
    check(Activation.LEAKY_RELU, x -> x >= 0 ? x : 0.2 * x);
    check(Activation.SIGMOID, x -> 1 / (1 + Math.exp(-x)));
  }

  @Test
  void leakyReluLayerTakesItsSlope() {
    try (EagerSession s = EagerSession.create()) {
      Ops tf = Ops.create(s);
      Operand<TFloat32> y = new LeakyReLU(0.1).call(tf, tf.constant(X), null);
      for (int i = 0; i < X.length; i++) {
        assertEquals(X[i] >= 0 ? X[i] : 0.1 * X[i], y.asTensor().getFloat(i), 1e-6);
      }
    }
  }

  private static void check(Activation a, DoubleUnaryOperator keras) {
    try (EagerSession s = EagerSession.create()) {
      Ops tf = Ops.create(s);
      Operand<TFloat32> y = a.apply(tf, tf.constant(X));
      for (int i = 0; i < X.length; i++) {
        assertEquals(keras.applyAsDouble(X[i]), y.asTensor().getFloat(i), 1e-6, a + " at " + X[i]);
      }
    }
  }
}
