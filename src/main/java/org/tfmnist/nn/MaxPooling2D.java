package org.tfmnist.nn;

import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** Keras' {@code MaxPooling2D(pool_size, strides=pool_size, padding='valid')} on NHWC. */
public final class MaxPooling2D extends Pooling2D {

  /**
   * Keras' {@code MaxPooling2D()} with its defaults: {@code pool_size=(2, 2)}, strides the pool
   * size, {@code padding="valid"}.
   */
  public MaxPooling2D() {
    this(2);
  }

  /** {@code MaxPooling2D(pool_size=(p, p))}: strides default to the pool size. */
  public MaxPooling2D(int pool) {
    this(pool, pool, Padding.VALID);
  }

  /** {@code MaxPooling2D(pool_size=(pool, pool), strides=(stride, stride), padding=padding)}. */
  public MaxPooling2D(int pool, int stride, Padding padding) {
    super(pool, stride, padding);
  }

  /** This layer with Keras' {@code padding=...}. */
  public MaxPooling2D padding(Padding padding) {
    return new MaxPooling2D(pool, stride, padding);
  }

  /** This layer with Keras' {@code strides=(s, s)}. */
  public MaxPooling2D strides(int stride) {
    return new MaxPooling2D(pool, stride, padding);
  }

  @Override
  public String kerasType() {
    return "MaxPooling2D";
  }

  @Override
  public String baseName() {
    return "max_pooling2d";
  }

  /**
   * TensorFlow's {@code MaxPool} op (sizes as attributes), as Keras emits it. TF Java only wraps
   * {@code MaxPoolV2} (sizes as tensors), which oneDNN does not take over: with it the CNN spent 10
   * ms of each step in Eigen's pooling and its gradient (see the README's speed notes).
   */
  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, Call call) {
    OperationBuilder b = tf.scope().opBuilder("MaxPool", "MaxPool");
    b.addInput(x.asOutput());
    b.setAttr("ksize", new long[] {1, pool, pool, 1});
    b.setAttr("strides", new long[] {1, stride, stride, 1});
    b.setAttr("padding", padding.tfName());
    b.setAttr("data_format", "NHWC");
    Operation op = b.build();
    return op.output(0);
  }
}
