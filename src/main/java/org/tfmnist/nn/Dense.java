package org.tfmnist.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras' {@code Dense(units, activation)}: activation(x @ kernel + bias). */
public final class Dense implements Layer {

  private final int units;
  private final Activation activation;
  private final Initializer kernelInit;
  private final Initializer biasInit;

  public Dense(int units) {
    this(units, Activation.LINEAR);
  }

  public Dense(int units, Activation activation) {
    this(units, activation, Initializers.glorotUniform(), Initializers.zeros());
  }

  public Dense(int units, Activation activation, Initializer kernelInit, Initializer biasInit) {
    if (units <= 0) {
      throw new IllegalArgumentException("Dense units must be positive, got " + units);
    }
    this.units = units;
    this.activation = activation;
    this.kernelInit = kernelInit;
    this.biasInit = biasInit;
  }

  public int units() {
    return units;
  }

  public Activation activation() {
    return activation;
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

  @Override
  public List<Param> params(long[] in) {
    outputShape(in);
    return List.of(
        new Param("kernel", new long[] {in[0], units}, kernelInit),
        new Param("bias", new long[] {units}, biasInit));
  }

  /** x @ kernel + bias, before the activation (the logits when the activation is softmax). */
  public Operand<TFloat32> linear(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> w) {
    return tf.nn.biasAdd(tf.linalg.matMul(x, w.get(0)), w.get(1));
  }

  @Override
  public Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> w, Context ctx, int index) {
    return activation.apply(tf, linear(tf, x, w));
  }

  @Override
  public String config() {
    return "units=" + units + ", activation=" + activation.kerasName() + ", kernel_initializer="
        + kernelInit.describe() + ", bias_initializer=" + biasInit.describe();
  }
}
