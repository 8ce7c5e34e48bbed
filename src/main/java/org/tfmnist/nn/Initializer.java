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

  Operand<TFloat32> create(Ops tf, long[] shape, Operand<TInt64> seed);

  /** How the summary and the training metadata name it, e.g. "GlorotUniform". */
  String describe();
}
