package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Creates a parameter's initial value as graph ops. Random initialisers use TensorFlow's stateless
 * random ops keyed by {@code seed} (an int64 [2] tensor), so the same seed gives the same weights.
 */
public interface Initializer {

  /**
   * The initial value of a weight of shape {@code shape}, as ops of {@code tf}; random ones draw
   * from {@code seed}.
   */
  Operand<TFloat32> create(Ops tf, long[] shape, Operand<TInt64> seed);

  /** How the summary and the training metadata name it, e.g. "GlorotUniform". */
  String describe();

  /** Keras' class name ("GlorotUniform"): the description up to its arguments. */
  default String kerasClassName() {
    String d = describe();
    int paren = d.indexOf('(');
    return paren < 0 ? d : d.substring(0, paren);
  }

  /** Keras' {@code config} of the initializer (its arguments; {@code seed} is ours, not Keras'). */
  default java.util.Map<String, Object> kerasConfig() {
    return java.util.Map.of();
  }
}
