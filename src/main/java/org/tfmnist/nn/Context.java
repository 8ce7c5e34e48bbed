package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What a forward pass is for. In training, layers with randomness (dropout, augmentation) draw from
 * stateless random ops keyed by {@code seed}, an int64 [2] tensor that changes every step, and
 * layers with moving statistics update them through {@code assigner}; at inference random layers
 * are the identity and add no ops at all. {@code policy} is the type layers compute in.
 */
public record Context(
    boolean training, Operand<TInt64> seed, Assigner assigner, DTypePolicy policy) {

  /** Writes a value into a model variable of the graph being built. */
  @FunctionalInterface
  public interface Assigner {
    /** An op of {@code tf} that writes {@code value} into the variable {@code variableName}. */
    Op assign(Ops tf, String variableName, Operand<TFloat32> value);
  }

  /** The inference pass in float32: no random ops, no updates. */
  public static Context inference() {
    return new Context(false, null, null, DTypePolicy.FLOAT32);
  }

  /**
   * The training pass in float32: random layers draw from {@code seed}, moving statistics are
   * written through {@code assigner}.
   */
  public static Context training(Operand<TInt64> seed, Assigner assigner) {
    return new Context(true, seed, assigner, DTypePolicy.FLOAT32);
  }

  /** The same pass with layers computing as {@code p} says. */
  public Context withPolicy(DTypePolicy p) {
    return new Context(training, seed, assigner, p);
  }

  /** The step seed mixed with a per-layer salt, so two dropout layers draw different masks. */
  public Operand<TInt64> seedFor(Ops tf, int salt) {
    return tf.math.add(seed, tf.constant(new long[] {0x9E3779B97F4A7C15L * (salt + 1), 0}));
  }
}
