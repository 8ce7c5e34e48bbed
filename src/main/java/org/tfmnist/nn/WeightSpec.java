package org.tfmnist.nn;

/**
 * One weight tensor a layer declares: its short name ("kernel", "bias", "moving_mean"), shape,
 * initialiser, and whether the optimizer trains it (Keras' {@code trainable}; a batch norm's moving
 * statistics are not trained but updated by the layer itself). The model names the variable
 * "{layer}_{name}" (no '/': TF Java's optimizers reject it in slot names).
 */
public record WeightSpec(String name, long[] shape, Initializer initializer, boolean trainable) {

  /** A trained parameter. */
  public WeightSpec(String name, long[] shape, Initializer initializer) {
    this(name, shape, initializer, true);
  }

  /** The number of values: the product of the shape's dimensions. */
  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
