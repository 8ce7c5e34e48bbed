package org.tfmnist.nn;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Per-example losses; training minimises their mean over the batch, as Keras does. */
public enum Loss {
  /**
   * Keras' categorical_crossentropy: -sum(y log p). When the model ends in a softmax it is computed
   * from the logits (as Keras does for a softmax output), which is exact and stable.
   */
  CATEGORICAL_CROSSENTROPY("categorical_crossentropy"),
  /** Nielsen's quadratic cost C = 1/2 ||a - y||^2 per example (Nielsen's network). */
  QUADRATIC("quadratic");

  private static final float EPSILON = 1e-7f;

  private final String kerasName;

  Loss(String kerasName) {
    this.kerasName = kerasName;
  }

  public String kerasName() {
    return kerasName;
  }

  /** The loss of each example in the batch, shape [batch]; {@code oneHot} is [batch, classes]. */
  public Operand<TFloat32> perExample(Ops tf, Sequential.Forward f, Operand<TFloat32> oneHot) {
    return switch (this) {
      case CATEGORICAL_CROSSENTROPY -> {
        if (f.logits() != null) {
          yield tf.nn.softmaxCrossEntropyWithLogits(f.logits(), oneHot).loss();
        }
        Operand<TFloat32> p =
            tf.clipByValue(f.output(), tf.constant(EPSILON), tf.constant(1 - EPSILON));
        yield tf.math.neg(tf.reduceSum(tf.math.mul(oneHot, tf.math.log(p)), tf.constant(1)));
      }
      case QUADRATIC ->
          tf.math.mul(
              tf.constant(0.5f),
              tf.reduceSum(tf.math.square(tf.math.sub(f.output(), oneHot)), tf.constant(1)));
    };
  }

  public static Loss parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    for (Loss l : values()) {
      if (l.kerasName.equals(t) || l.name().equalsIgnoreCase(t)) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown loss '" + s + "'");
  }
}
