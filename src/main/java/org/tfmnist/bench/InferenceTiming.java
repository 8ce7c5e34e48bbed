package org.tfmnist.bench;

import java.nio.file.Path;
import java.util.Random;
import org.tfmnist.data.Mnist;
import org.tfmnist.runtime.ServingModel;

/**
 * {@code make bench-inference}'s Java side: a SavedModel's batch inference alone, through {@link
 * ServingModel#predict} (batches of {@link ServingModel#BATCH}), on {@code N} images, timed as
 * {@link Bench#timePasses} times it: one warm-up pass, then the median of {@value
 * Bench#INFERENCE_RUNS}. python/inference_timing.py times the same SavedModel in Python's
 * TensorFlow and the same layers in Keras, so the runtimes compare on one graph.
 */
public final class InferenceTiming {

  private InferenceTiming() {}

  /** {@code MODEL_DIR N}. */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[1]);
    float[] pixels = images(n);
    try (ServingModel m = ServingModel.load(Path.of(args[0]))) {
      double median = Spread.median(Bench.timePasses(() -> m.predict(pixels, n)));
      System.out.printf(
          "java %s: median %.3f s for %d images: %.0f images/s%n",
          "TF Java "
              + Bench.tensorFlowJavaVersion()
              + " (TensorFlow "
              + org.tensorflow.TensorFlow.version()
              + ")",
          median,
          n,
          n / median);
    }
  }

  /** Sparse ink as a digit has (a fifth of the pixels lit), the same on both sides. */
  static float[] images(int n) {
    Random r = new Random(1);
    float[] px = new float[n * Mnist.PIXELS];
    for (int i = 0; i < px.length; i++) {
      px[i] = r.nextFloat() < 0.2f ? r.nextFloat() : 0f;
    }
    return px;
  }
}
