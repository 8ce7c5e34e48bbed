package org.tfmnist.graph;

import java.util.Arrays;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tfmnist.nn.Context;
import org.tfmnist.nn.Shapes;

/**
 * The inference pass on fed float images (pictures, not a stored data set), added to the graph on
 * the first prediction: a model that never predicts pictures carries no such pass.
 */
final class Predictor {

  private final Ops tf;
  private final TrainingGraph.Spec spec;
  private final GraphWeights weights;
  private Placeholder<TFloat32> input;
  private org.tensorflow.Operand<TFloat32> output;

  Predictor(Ops tf, TrainingGraph.Spec spec, GraphWeights weights) {
    this.tf = tf;
    this.spec = spec;
    this.weights = weights;
  }

  /**
   * The class probabilities for {@code count} images of floats in [0, 1], one after another in
   * {@code pixels}, each of the model's input size, in runs of the evaluation chunk.
   */
  float[][] probabilities(Session session, float[] pixels, int count) {
    long[] in = spec.model().inputShape();
    int size = (int) Shapes.size(in);
    if (pixels.length != (long) count * size) {
      throw new IllegalArgumentException(
          count + " images need " + (long) count * size + " floats, not " + pixels.length);
    }
    if (input == null) {
      Ops p = tf.withSubScope("predict");
      input =
          p.withName("images")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(Shapes.withBatch(in))));
      output =
          spec.model()
              .forward(p, input, weights.values(), Context.inference().withPolicy(spec.policy()))
              .output();
    }
    float[][] out = new float[count][];
    for (int start = 0; start < count; start += spec.evalChunk()) {
      int n = Math.min(spec.evalChunk(), count - start);
      long[] shape = Shapes.withBatch(in);
      shape[0] = n;
      float[] chunk = Arrays.copyOfRange(pixels, start * size, (start + n) * size);
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(chunk, true, false));
          Result r = session.runner().feed(input, x).fetch(output).run()) {
        EvalSets.copyRows((TFloat32) r.get(0), out, start);
      }
    }
    return out;
  }
}
