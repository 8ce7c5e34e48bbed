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
  CATEGORICAL_CROSSENTROPY("categorical_crossentropy", "CategoricalCrossentropy", false),
  /** {@code CategoricalCrossentropy(from_logits=True)}: the model's outputs are the logits. */
  CATEGORICAL_CROSSENTROPY_FROM_LOGITS("categorical_crossentropy", "CategoricalCrossentropy", true),
  /**
   * Keras' sparse_categorical_crossentropy: the same loss for integer labels. The labels are
   * one-hot in the graph here, so the numbers are those of {@link #CATEGORICAL_CROSSENTROPY}; the
   * name is kept so that a Keras file says what its author wrote.
   */
  SPARSE_CATEGORICAL_CROSSENTROPY(
      "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", false),
  /** {@code SparseCategoricalCrossentropy(from_logits=True)} (the TF2 beginner tutorial's). */
  SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS(
      "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", true),
  /**
   * Nielsen's quadratic cost C = 1/2 ||a - y||^2 per example (Nielsen's network). Keras has no such
   * loss: its nearest, {@code mean_squared_error}, is the mean over the 10 outputs, C / 5.
   */
  QUADRATIC("quadratic", null, false),
  /** Keras' mean_squared_error: the mean over the outputs of (p - y)^2. */
  MEAN_SQUARED_ERROR("mean_squared_error", "MeanSquaredError", false);

  private static final float EPSILON = 1e-7f;

  private final String kerasName;
  private final String kerasClass;
  private final boolean fromLogits;

  Loss(String kerasName, String kerasClass, boolean fromLogits) {
    this.kerasName = kerasName;
    this.kerasClass = kerasClass;
    this.fromLogits = fromLogits;
  }

  /** Keras' function name ("categorical_crossentropy"), whatever {@link #fromLogits}. */
  public String kerasName() {
    return kerasName;
  }

  /** Keras' class ("CategoricalCrossentropy"); null for a loss Keras lacks. */
  public String kerasClass() {
    return kerasClass;
  }

  /** Whether the model's outputs are logits, which the loss turns into probabilities itself. */
  public boolean fromLogits() {
    return fromLogits;
  }

  /** The name a checkpoint records ("categorical_crossentropy_from_logits"). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The Keras loss {@code kerasName} ("categorical_crossentropy"), or null without one. */
  public static Loss fromKeras(String kerasName, boolean fromLogits) {
    for (Loss l : values()) {
      if (l.kerasClass != null
          && (l.kerasName.equals(kerasName) || l.kerasClass.equals(kerasName))
          && l.fromLogits == fromLogits) {
        return l;
      }
    }
    return null;
  }

  /** The loss of each example in the batch, shape [batch]; {@code oneHot} is [batch, classes]. */
  public Operand<TFloat32> perExample(Ops tf, Sequential.Forward f, Operand<TFloat32> oneHot) {
    return switch (this) {
      case CATEGORICAL_CROSSENTROPY_FROM_LOGITS, SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS ->
          tf.nn.softmaxCrossEntropyWithLogits(f.output(), oneHot).loss();
      case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> {
        if (f.logits() != null) {
          yield tf.nn.softmaxCrossEntropyWithLogits(f.logits(), oneHot).loss();
        }
        Operand<TFloat32> p =
            tf.clipByValue(f.output(), tf.constant(EPSILON), tf.constant(1 - EPSILON));
        yield tf.math.neg(tf.reduceSum(tf.math.mul(oneHot, tf.math.log(p)), tf.constant(1)));
      }
      case MEAN_SQUARED_ERROR ->
          tf.math.mean(tf.math.square(tf.math.sub(f.output(), oneHot)), tf.constant(1));
      case QUADRATIC ->
          tf.math.mul(
              tf.constant(0.5f),
              tf.reduceSum(tf.math.square(tf.math.sub(f.output(), oneHot)), tf.constant(1)));
    };
  }

  /**
   * The loss named {@code s} in any case: Keras' name ({@code "categorical_crossentropy"}, {@code
   * "mean_squared_error"}) or the name a checkpoint records ({@code
   * "categorical_crossentropy_from_logits"}); throws {@code IllegalArgumentException} for another.
   */
  public static Loss parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    for (Loss l : values()) {
      if (l.id().equals(t) || (!l.fromLogits && l.kerasName.equals(t))) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown loss '" + s + "'");
  }
}
