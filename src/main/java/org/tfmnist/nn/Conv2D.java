package org.tfmnist.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * Keras' {@code Conv2D(filters, kernel_size, strides, padding, activation)} on NHWC images (Keras'
 * channels_last): kernel [kh, kw, in, filters] with Glorot-uniform initialisation (fans counting
 * the receptive field), zero bias.
 */
public final class Conv2D implements Layer {

  private final int filters;
  private final int kernelH;
  private final int kernelW;
  private final int stride;
  private final Padding padding;
  private final Activation activation;
  private final Initializer kernelInit;
  private final Initializer biasInit;
  private boolean useBias = true;

  /**
   * Keras' {@code Conv2D(filters, kernel_size=k)} with its defaults: strides 1, {@code
   * padding="valid"}, no activation (linear), Glorot-uniform kernel, zero bias. Change one with
   * {@link #padding(Padding)}, {@link #strides(int)} or {@link #activation(Activation)}.
   */
  public Conv2D(int filters, int kernel) {
    this(filters, kernel, Activation.LINEAR);
  }

  /** {@code Conv2D(filters, (k, k), activation=...)} with stride 1 and valid padding. */
  public Conv2D(int filters, int kernel, Activation activation) {
    this(filters, kernel, kernel, 1, Padding.VALID, activation);
  }

  /**
   * {@code Conv2D(filters, (kernelH, kernelW), strides=stride, padding, activation)} with a
   * Glorot-uniform kernel and a zero bias.
   */
  public Conv2D(
      int filters, int kernelH, int kernelW, int stride, Padding padding, Activation activation) {
    this(
        filters,
        kernelH,
        kernelW,
        stride,
        padding,
        activation,
        Initializers.glorotUniform(),
        Initializers.zeros());
  }

  /**
   * As {@link #Conv2D(int, int, int, int, Padding, Activation)}, with Keras' {@code
   * kernel_initializer} and {@code bias_initializer}.
   */
  public Conv2D(
      int filters,
      int kernelH,
      int kernelW,
      int stride,
      Padding padding,
      Activation activation,
      Initializer kernelInit,
      Initializer biasInit) {
    if (filters <= 0 || kernelH <= 0 || kernelW <= 0 || stride <= 0) {
      throw new IllegalArgumentException(
          "Conv2D filters, kernel size and stride must be " + "positive");
    }
    this.filters = filters;
    this.kernelH = kernelH;
    this.kernelW = kernelW;
    this.stride = stride;
    this.padding = padding;
    this.activation = activation;
    this.kernelInit = kernelInit;
    this.biasInit = biasInit;
  }

  /** The number of output channels ({@code filters}). */
  public int filters() {
    return filters;
  }

  /** The kernel's height and width ({@code kernel_size}). */
  public int[] kernelSize() {
    return new int[] {kernelH, kernelW};
  }

  /**
   * The step of the kernel over the image, the same along both axes ({@code strides}, 1 by
   * default).
   */
  public int stride() {
    return stride;
  }

  /** {@code padding}: valid (Keras' default) or same. */
  public Padding padding() {
    return padding;
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
    return "Conv2D";
  }

  @Override
  public String baseName() {
    return "conv2d";
  }

  @Override
  public long[] outputShape(long[] in) {
    if (in.length != 3) {
      throw new IllegalArgumentException(
          "Conv2D expects (None, height, width, channels), got "
              + Shapes.keras(in)
              + ": add Reshape((28, 28, 1)) first");
    }
    long h = padding.outputLength(in[0], kernelH, stride);
    long w = padding.outputLength(in[1], kernelW, stride);
    if (h <= 0 || w <= 0) {
      throw new IllegalArgumentException(
          "a " + kernelH + "x" + kernelW + " kernel does not fit " + Shapes.keras(in));
    }
    return new long[] {h, w, filters};
  }

  /** Keras' {@code use_bias=False} (a convolution followed by a batch norm needs none). */
  public Conv2D withoutBias() {
    Conv2D c =
        new Conv2D(filters, kernelH, kernelW, stride, padding, activation, kernelInit, biasInit);
    c.useBias = false;
    return c;
  }

  /** This layer with Keras' {@code padding=...} ({@code "same"} keeps the image's size). */
  public Conv2D padding(Padding padding) {
    return copy(stride, padding, activation);
  }

  /** This layer with Keras' {@code strides=(s, s)}. */
  public Conv2D strides(int stride) {
    return copy(stride, padding, activation);
  }

  /** This layer with Keras' {@code activation=...}. */
  public Conv2D activation(Activation activation) {
    return copy(stride, padding, activation);
  }

  /** A copy with other strides, padding or activation; the bias setting is kept. */
  private Conv2D copy(int stride, Padding padding, Activation activation) {
    Conv2D c =
        new Conv2D(filters, kernelH, kernelW, stride, padding, activation, kernelInit, biasInit);
    c.useBias = useBias;
    return c;
  }

  @Override
  public void build(long[] in, Weights weights) {
    outputShape(in);
    weights.add("kernel", new long[] {kernelH, kernelW, in[2], filters}, kernelInit);
    if (useBias) {
      weights.add("bias", new long[] {filters}, biasInit);
    }
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> inputs, Call call) {
    if (call.training()
        && useBias
        && activation == Activation.RELU
        && inputs.type() == TFloat32.class
        && FusedConv2D.available()) {
      // the training step's conv + bias + relu as one kernel (see FusedConv2D); same numbers
      @SuppressWarnings("unchecked")
      Operand<T> fused =
          (Operand<T>)
              FusedConv2D.apply(
                  tf,
                  inputs.asOutput().expect(TFloat32.class),
                  call.weight("kernel"),
                  call.weight("bias"),
                  new long[] {1, stride, stride, 1},
                  padding.tfName());
      return fused;
    }
    Operand<T> conv =
        tf.nn.conv2d(
            inputs,
            call.weight("kernel", inputs.type()),
            List.of(1L, (long) stride, (long) stride, 1L),
            padding.tfName());
    return activation.apply(
        tf, useBias ? tf.nn.biasAdd(conv, call.weight("bias", inputs.type())) : conv);
  }

  @Override
  public String config() {
    return "filters="
        + filters
        + ", kernel_size=("
        + kernelH
        + ", "
        + kernelW
        + "), strides=("
        + stride
        + ", "
        + stride
        + "), padding="
        + padding.name().toLowerCase()
        + ", activation="
        + activation.kerasName()
        + ", use_bias="
        + (useBias ? "True" : "False")
        + ", kernel_initializer="
        + kernelInit.describe()
        + (useBias ? ", bias_initializer=" + biasInit.describe() : "");
  }
}
