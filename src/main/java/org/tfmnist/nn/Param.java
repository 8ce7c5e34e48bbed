package org.tfmnist.nn;

/**
 * One parameter tensor of a layer: its short name ("kernel", "bias"), shape and initialiser. The
 * model names the variable "{layer}_{name}" (no '/': TF Java's optimizers reject it in slot names).
 */
public record Param(String name, long[] shape, Initializer initializer) {

  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
