package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A Keras-like layer. As in Keras, {@link #build} creates the layer's weights by name ({@code
 * kernel}, {@code bias}, {@code gamma}, {@code moving_mean}...) for an input shape, and {@link
 * #call} computes the output from the inputs, reading those weights and the training flag from the
 * {@link Call}. Shapes exclude the batch dimension, as Keras prints them without "None".
 *
 * <p>A layer holds no graph state: the model turns the weights it declares into variables of
 * whichever graph is being built (the training graph, the serving graph), so one layer builds both.
 */
public interface Layer {

  /** The Keras class name shown in the summary ("Dense"). */
  String kerasType();

  /** The base of the automatic name ("dense" gives dense, dense_1, ...). */
  String baseName();

  /** The output shape for an input of shape {@code in}; throws if the input does not fit. */
  long[] outputShape(long[] in);

  /** Keras' {@code build(input_shape)}: declares the weights (none by default). */
  default void build(long[] in, Weights weights) {}

  /**
   * Keras' {@code call(inputs, training)}: the output for a batch [batch, ...in], in the type of
   * the inputs (the model's {@link DTypePolicy} compute type).
   */
  <T extends TFloating> Operand<T> call(Ops tf, Operand<T> inputs, Call call);

  /** The hyper-parameters in Keras' words, for the training metadata ("units=512, ..."). */
  String config();
}
