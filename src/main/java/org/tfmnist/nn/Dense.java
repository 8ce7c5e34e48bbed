package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** Keras' {@code Dense(units, activation)}: activation(x @ kernel + bias). */
public final class Dense implements Layer {

  private final int units;
  private final Activation activation;
  private final Initializer kernelInit;
  private final Initializer biasInit;
  private boolean useBias = true;

  /**
   * Keras' {@code Dense(units)} with its defaults: no activation (linear), Glorot-uniform kernel,
   * zero bias.
   */
  public Dense(int units) {
    this(units, Activation.LINEAR);
  }

  /** {@code Dense(units, activation=activation)}, with a Glorot-uniform kernel and a zero bias. */
  public Dense(int units, Activation activation) {
    this(units, activation, Initializers.glorotUniform(), Initializers.zeros());
  }

  /**
   * {@code Dense(units, activation, kernel_initializer, bias_initializer)}; {@code units} must be
   * positive.
   */
  public Dense(int units, Activation activation, Initializer kernelInit, Initializer biasInit) {
    if (units <= 0) {
      throw new IllegalArgumentException("Dense units must be positive, got " + units);
    }
    this.units = units;
    this.activation = activation;
    this.kernelInit = kernelInit;
    this.biasInit = biasInit;
  }

  /** The output size ({@code units}). */
  public int units() {
    return units;
  }

  /** The function applied to the output ({@code activation}; Keras' default is linear). */
  public Activation activation() {
    return activation;
  }

  /** Whether the layer adds a bias ({@code use_bias}, true by default). */
  public boolean useBias() {
    return useBias;
  }

  /** How the kernel starts ({@code kernel_initializer}, Glorot-uniform by default). */
  public Initializer kernelInitializer() {
    return kernelInit;
  }

  /** How the bias starts ({@code bias_initializer}, zeros by default). */
  public Initializer biasInitializer() {
    return biasInit;
  }

  @Override
  public String kerasType() {
    return "Dense";
  }

  @Override
  public String baseName() {
    return "dense";
  }

  @Override
  public long[] outputShape(long[] in) {
    if (in.length != 1) {
      throw new IllegalArgumentException(
          "Dense expects a flat input (None, n), got " + Shapes.keras(in) + ": add Flatten first");
    }
    return new long[] {units};
  }

  /** Keras' {@code use_bias=False} (a batch norm after it makes the bias redundant). */
  public Dense withoutBias() {
    Dense d = new Dense(units, activation, kernelInit, biasInit);
    d.useBias = false;
    return d;
  }

  @Override
  public void build(long[] in, Weights weights) {
    outputShape(in);
    weights.add("kernel", new long[] {in[0], units}, kernelInit);
    if (useBias) {
      weights.add("bias", new long[] {units}, biasInit);
    }
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> inputs, Call call) {
    Operand<T> z = tf.linalg.matMul(inputs, call.weight("kernel", inputs.type()));
    return activation.apply(tf, useBias ? tf.nn.biasAdd(z, call.weight("bias", inputs.type())) : z);
  }

  @Override
  public String config() {
    return "units="
        + units
        + ", activation="
        + activation.kerasName()
        + ", use_bias="
        + (useBias ? "True" : "False")
        + ", kernel_initializer="
        + kernelInit.describe()
        + (useBias ? ", bias_initializer=" + biasInit.describe() : "");
  }
}
