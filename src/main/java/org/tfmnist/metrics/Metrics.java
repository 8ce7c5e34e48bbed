package org.tfmnist.metrics;

/**
 * The loss and accuracy of a model over some images, as Keras reports them: what {@code
 * model.evaluate(x, y)} returns (over the whole set) and what the progress bar shows during an
 * epoch (the running means over the epoch's batches so far).
 *
 * @param loss the mean of the per-image losses (the loss the model was compiled with); 0 when no
 *     image was seen
 * @param accuracy the share of images whose most probable class is their label, in [0, 1]
 * @param count the images the means are taken over
 * @param globalStep the training steps the model's weights had taken when measured (Keras' {@code
 *     optimizer.iterations})
 */
public record Metrics(double loss, double accuracy, long count, long globalStep) {

  /** Whether the loss is a finite number (not NaN, not infinite). */
  public boolean finite() {
    return Double.isFinite(loss);
  }
}
