package org.tfmnist.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Keras-like layer: shapes exclude the batch dimension, as Keras prints them without "None".
 * Layers hold no graph state; the model creates their parameters as variables and passes their
 * values to {@link #call}, so the same layer builds a training graph and a serving graph.
 */
public interface Layer {

  /** The Keras class name shown in the summary ("Dense"). */
  String kerasType();

  /** The base of the automatic name ("dense" gives dense, dense_1, ...). */
  String baseName();

  /** The output shape for an input of shape {@code in}; throws if the input does not fit. */
  long[] outputShape(long[] in);

  /** The parameters for an input of shape {@code in} (none by default). */
  default List<Param> params(long[] in) {
    return List.of();
  }

  /**
   * The layer's output for a batch {@code x} of shape [batch, ...in]; {@code weights} are the
   * values of {@link #params} in order; {@code index} is the layer's position in the model.
   */
  Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> weights, Context ctx, int index);

  /** The hyper-parameters in Keras' words, for the training metadata ("units=512, ..."). */
  String config();
}
