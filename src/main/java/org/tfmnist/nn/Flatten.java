package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** Keras' {@code Flatten()}: (None, a, b, ...) to (None, a*b*...). */
public final class Flatten implements Layer {

  @Override
  public String kerasType() {
    return "Flatten";
  }

  @Override
  public String baseName() {
    return "flatten";
  }

  @Override
  public long[] outputShape(long[] in) {
    return new long[] {Shapes.size(in)};
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, Call call) {
    return tf.reshape(x, tf.constant(new long[] {-1, Shapes.size(shapeOf(x))}));
  }

  static long[] shapeOf(Operand<?> x) {
    long[] s = x.shape().asArray();
    long[] noBatch = new long[s.length - 1];
    System.arraycopy(s, 1, noBatch, 0, noBatch.length);
    for (long d : noBatch) {
      if (d < 0) {
        throw new IllegalStateException(
            "Flatten needs a fully known input shape, got " + x.shape());
      }
    }
    return noBatch;
  }

  @Override
  public String config() {
    return "";
  }
}
