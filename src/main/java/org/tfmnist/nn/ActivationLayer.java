package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras' {@code Activation('relu')} layer (the Keras dropout MLP tutorial writes its model this
 * way).
 */
public final class ActivationLayer implements Layer {

  private final Activation activation;

  /**
   * Keras' {@code Activation(activation)}: applies {@code activation} element-wise and has no
   * weights.
   */
  public ActivationLayer(Activation activation) {
    this.activation = activation;
  }

  /** The function this layer applies ({@code activation}). */
  public Activation activation() {
    return activation;
  }

  @Override
  public String kerasType() {
    return "Activation";
  }

  @Override
  public String baseName() {
    return "activation";
  }

  @Override
  public long[] outputShape(long[] in) {
    return in.clone();
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, Call call) {
    return activation.apply(tf, x);
  }

  @Override
  public String config() {
    return "activation=" + activation.kerasName();
  }
}
