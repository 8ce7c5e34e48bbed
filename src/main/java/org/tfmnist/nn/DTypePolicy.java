package org.tfmnist.nn;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * Keras' dtype policy ({@code keras.mixed_precision.set_global_policy(...)}): the type layers
 * compute in, while their variables stay float32. Under {@code mixed_bfloat16} each layer reads its
 * weights cast to bfloat16 (Keras' auto-cast variables) and passes bfloat16 activations on; the
 * gradients reach the float32 variables through the casts, so the optimizer updates float32
 * weights. As Keras' mixed-precision guide advises, the model's last softmax and the loss are
 * computed in float32 (from the bfloat16 logits cast up), and batch normalization computes its
 * statistics in float32, as Keras' own layer does.
 */
public enum DTypePolicy {
  /** Keras' {@code "float32"}, its default: layers compute in float32. */
  FLOAT32("float32", TFloat32.class),
  /** Keras' {@code "mixed_bfloat16"}: layers compute in bfloat16, variables stay float32. */
  MIXED_BFLOAT16("mixed_bfloat16", TBfloat16.class);

  private final String kerasName;
  private final Class<? extends TFloating> compute;

  DTypePolicy(String kerasName, Class<? extends TFloating> compute) {
    this.kerasName = kerasName;
    this.compute = compute;
  }

  /** Keras' name for the policy: "float32", "mixed_bfloat16". */
  public String kerasName() {
    return kerasName;
  }

  /** The type layers compute in (Keras' {@code compute_dtype}); variables are always float32. */
  public Class<? extends TFloating> compute() {
    return compute;
  }

  /** The policy by its Keras name. */
  public static DTypePolicy parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    for (DTypePolicy p : values()) {
      if (p.kerasName.equals(t)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown dtype policy '" + s + "' (float32 or mixed_bfloat16)");
  }

  /** {@code x} as {@code type}: itself when it already is, else a Cast op. */
  public static <T extends TFloating> Operand<T> autocast(
      Ops tf, Operand<? extends TFloating> x, Class<T> type) {
    if (x.type() == type) {
      @SuppressWarnings("unchecked")
      Operand<T> same = (Operand<T>) x;
      return same;
    }
    return tf.dtypes.cast(x, type);
  }

  /** A scalar constant of {@code type} (a float32 constant, cast where the type differs). */
  public static <T extends TFloating> Operand<T> constant(Ops tf, double value, Class<T> type) {
    return autocast(tf, tf.constant((float) value), type);
  }
}
