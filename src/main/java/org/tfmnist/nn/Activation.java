package org.tfmnist.nn;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** Keras' element-wise activations, by their Keras names. */
public enum Activation {
  LINEAR,
  RELU,
  SIGMOID,
  TANH,
  SOFTMAX;

  public <T extends TFloating> Operand<T> apply(Ops tf, Operand<T> x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> tf.nn.relu(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case TANH -> tf.math.tanh(x);
      case SOFTMAX -> tf.nn.softmax(x);
    };
  }

  /** The Keras spelling: "relu", "softmax", ... */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
