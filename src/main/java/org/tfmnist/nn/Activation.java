package org.tfmnist.nn;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** Keras' element-wise activations, by their Keras names; each computes what Keras' does. */
public enum Activation {
  /** {@code linear}: x unchanged (Keras' default for Dense and Conv2D). */
  LINEAR,
  /** {@code relu}: max(x, 0). */
  RELU,
  /** {@code sigmoid}: 1 / (1 + exp(-x)). */
  SIGMOID,
  /** {@code tanh}. */
  TANH,
  /** {@code softmax} over the last axis: the output layer of a classifier. */
  SOFTMAX,
  /** {@code elu}: x where x > 0, exp(x) - 1 below (alpha 1). */
  ELU,
  /** {@code selu}: scale * elu(x, alpha) with Keras' (and TensorFlow's) constants. */
  SELU,
  /** {@code gelu} as Keras computes it by default ({@code approximate=False}): x Phi(x). */
  GELU,
  /** {@code silu} (Keras' {@code swish}): x * sigmoid(x). */
  SILU,
  /** The {@code leaky_relu} activation: negative slope 0.2, Keras' default for the function. */
  LEAKY_RELU;

  /** The activation of {@code x}, in the graph {@code tf} builds. */
  public <T extends TFloating> Operand<T> apply(Ops tf, Operand<T> x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> tf.nn.relu(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case TANH -> tf.math.tanh(x);
      case SOFTMAX -> tf.nn.softmax(x);
      case ELU -> tf.nn.elu(x);
      case SELU -> tf.nn.selu(x);
      case GELU ->
          // 0.5 x (1 + erf(x / sqrt 2)), as keras.activations.gelu(x, approximate=False)
          tf.math.mul(
              tf.math.mul(x, tf.dtypes.cast(tf.constant(0.5f), x.type())),
              tf.math.add(
                  tf.dtypes.cast(tf.constant(1f), x.type()),
                  tf.math.erf(
                      tf.math.mul(
                          x, tf.dtypes.cast(tf.constant((float) (1 / Math.sqrt(2))), x.type())))));
      case SILU -> tf.math.mul(x, tf.math.sigmoid(x));
      case LEAKY_RELU -> tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(0.2f));
    };
  }

  /** The Keras spelling: "relu", "softmax", ... */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Keras' name for it (its aliases too: "swish" is "silu"); null when Keras has no such one. */
  public static Activation fromKeras(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("swish")) {
      return SILU;
    }
    for (Activation a : values()) {
      if (a.kerasName().equals(n)) {
        return a;
      }
    }
    return null;
  }
}
