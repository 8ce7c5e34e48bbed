package org.tfmnist.nn;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * {@code relu(conv2d(x, kernel) + bias)} in the training step as TensorFlow's one fused kernel,
 * {@code _FusedConv2D} with {@code fused_ops=[BiasAdd, Relu]} (oneDNN's convolution with its bias
 * and ReLU applied as the output is written), with the gradient Python TensorFlow computes for the
 * three ops.
 *
 * <p>Why by hand: Grappler's remapper makes this fusion itself when the ReLU's input has no other
 * reader, as at inference. In a training graph built by TensorFlow's C++ gradients (TF Java's
 * {@code addGradients}) the ReLU's gradient reads the ReLU's <em>input</em>, so the remapper fuses
 * only the bias and leaves a separate ReLU pass over the whole activation. Python's gradient reads
 * the ReLU's output instead ({@code relu'(z) = 1} exactly where {@code relu(z) > 0}), which is what
 * the gradient registered here does: the same numbers, one pass less each way.
 *
 * <p>Float32 only ({@code _FusedConv2D} has no bfloat16 kernel in this runtime); where a gradient
 * cannot be registered (TF Java does not support it on Windows) the layer keeps the three ops.
 */
final class FusedConv2D {

  private static final String OP = "_FusedConv2D";
  private static Boolean available;

  private FusedConv2D() {}

  /** Whether the fused op and its gradient can be used here (registered once per process). */
  static synchronized boolean available() {
    if (available == null) {
      boolean ok;
      try {
        ok = TensorFlow.registerCustomGradient(OP, FusedConv2D::gradient);
      } catch (UnsupportedOperationException e) {
        ok = false;
      }
      available = ok;
    }
    return available;
  }

  /** The fused op: {@code relu(conv2d(x, kernel, strides, padding) + bias)}. */
  static Operand<TFloat32> apply(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> kernel,
      Operand<TFloat32> bias,
      long[] strides,
      String padding) {
    OperationBuilder b = tf.scope().opBuilder(OP, "FusedConv2D");
    b.addInput(x.asOutput());
    b.addInput(kernel.asOutput());
    b.addInputList(new Output<?>[] {bias.asOutput()});
    b.addInputList(new Output<?>[0]);
    b.setAttr("T", DataType.DT_FLOAT);
    b.setAttr("num_args", 1L);
    b.setAttr("fused_ops", new String[] {"BiasAdd", "Relu"});
    b.setAttr("strides", strides);
    b.setAttr("padding", padding);
    Operation op = b.build();
    return op.output(0);
  }

  /**
   * d(input), d(kernel), d(bias) from d(output), as Python's gradients of the three ops. Shapes are
   * taken in the graph ({@code tf.shape}): the graph is locked while gradients are added, and a
   * shape query from here would wait for it forever.
   */
  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> grads) {
    Output<TFloat32> dy = grads.get(0).expect(TFloat32.class);
    Output<TFloat32> y = op.<TFloat32>output(0);
    Output<TFloat32> x = op.input(0).expect(TFloat32.class);
    Output<TFloat32> kernel = op.input(1).expect(TFloat32.class);
    List<Long> strides = boxed(op.attributes().getAttrIntList("strides"));
    String padding = op.attributes().getAttrString("padding");
    Operand<TFloat32> dz = tf.nn.reluGrad(dy, y);
    return List.of(
        tf.nn.conv2dBackpropInput(tf.shape(x), kernel, dz, strides, padding),
        tf.nn.conv2dBackpropFilter(x, tf.shape(kernel), dz, strides, padding),
        tf.nn.biasAddGrad(dz));
  }

  private static List<Long> boxed(long[] v) {
    return java.util.Arrays.stream(v).boxed().toList();
  }
}
