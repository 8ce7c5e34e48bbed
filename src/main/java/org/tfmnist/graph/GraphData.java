package org.tfmnist.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;
import org.tfmnist.data.LabeledImages;

/**
 * The data sets held in the graph: each is copied once into uint8 resource variables (47 MB for
 * MNIST's training set), so that no step feeds anything; a batch is gathered from them by index.
 * Variables declared before the session exists are uploaded by {@link #upload} once it does; those
 * declared later (an evaluation set added on demand) by the next call.
 */
final class GraphData {

  /** A data set in the graph: its images (count x rows x cols) and labels, as uint8 variables. */
  record Stored(
      LabeledImages data, Operand<? extends TType> images, Operand<? extends TType> labels) {
    int count() {
      return data.count();
    }
  }

  /** One batch: images in [0, 1] as the model takes them, labels and their one-hot encoding. */
  record Batch(Operand<TFloat32> images, Operand<TInt32> labels, Operand<TFloat32> oneHot) {}

  private record Upload(Placeholder<TUint8> input, Op assign, byte[] bytes, Shape shape) {}

  private final Ops tf;
  private final boolean channelAxis;
  private final List<Upload> pending = new ArrayList<>();

  /** {@code channelAxis}: whether the model takes 28x28x1 images rather than 28x28. */
  GraphData(Ops tf, boolean channelAxis) {
    this.tf = tf;
    this.channelAxis = channelAxis;
  }

  /** Declares variables for {@code data}'s images and labels, named "{name}_images/_labels". */
  Stored store(String name, LabeledImages data) {
    return new Stored(
        data,
        variable(name + "_images", data.pixels(), Shape.of(data.count(), data.rows(), data.cols())),
        variable(name + "_labels", data.labels(), Shape.of(data.count())));
  }

  /** Copies every data set declared since the last upload into its variables. */
  void upload(Session session) {
    for (Upload u : pending) {
      try (TUint8 tensor = TUint8.tensorOf(u.shape(), DataBuffers.of(u.bytes(), true, false))) {
        session.runner().feed(u.input(), tensor).addTarget(u.assign()).run();
      }
    }
    pending.clear();
  }

  /**
   * The examples of {@code stored} at {@code indices}, prepared for the model (ops in {@code t}).
   */
  Batch batch(Ops t, Stored stored, Operand<TInt32> indices) {
    Operand<TFloat32> x = normalise(t, t.resourceGather(stored.images(), indices, TUint8.class));
    Operand<TInt32> y =
        t.dtypes.cast(t.resourceGather(stored.labels(), indices, TUint8.class), TInt32.class);
    Operand<TFloat32> oneHot =
        t.oneHot(y, t.constant(LabeledImages.CLASSES), t.constant(1f), t.constant(0f));
    return new Batch(x, y, oneHot);
  }

  /**
   * Pixels to [0, 1], with a channel axis when the model takes one: Keras' MNIST CNN example reads
   * {@code Input((28, 28, 1))}, while the data is 28x28 (Keras users add the axis with numpy).
   */
  private Operand<TFloat32> normalise(Ops t, Operand<TUint8> pixels) {
    Operand<TFloat32> x = t.math.mul(t.dtypes.cast(pixels, TFloat32.class), t.constant(1f / 255f));
    return channelAxis ? t.expandDims(x, t.constant(-1)) : x;
  }

  private Operand<? extends TType> variable(String name, byte[] bytes, Shape shape) {
    Operand<? extends TType> v = resourceVar(tf, name, TUint8.class, shape);
    Placeholder<TUint8> in =
        tf.withName(name + "_in").placeholder(TUint8.class, Placeholder.shape(shape));
    pending.add(new Upload(in, tf.assignVariableOp(v, in), bytes, shape));
    return v;
  }

  /**
   * A resource variable (not part of checkpoints: {@link Session#save} saves the reference
   * variables only); its shared name is its op name, so no two variables alias.
   */
  static <T extends TType> Operand<? extends TType> resourceVar(
      Ops tf, String name, Class<T> type, Shape shape) {
    return tf.withName(name).varHandleOp(type, shape, VarHandleOp.sharedName(name));
  }
}
