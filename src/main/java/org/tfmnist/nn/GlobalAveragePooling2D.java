package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** Keras' {@code GlobalAveragePooling2D()}: the mean of each channel over height and width. */
public final class GlobalAveragePooling2D implements Layer {

  @Override
  public String kerasType() {
    return "GlobalAveragePooling2D";
  }

  @Override
  public String baseName() {
    return "global_average_pooling2d";
  }

  @Override
  public long[] outputShape(long[] in) {
    if (in.length != 3) {
      throw new IllegalArgumentException(
          "GlobalAveragePooling2D expects (None, height, width, "
              + "channels), got "
              + Shapes.keras(in));
    }
    return new long[] {in[2]};
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> inputs, Call call) {
    return tf.math.mean(inputs, tf.constant(new int[] {1, 2}));
  }

  @Override
  public String config() {
    return "";
  }
}
