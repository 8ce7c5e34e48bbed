package org.tfmnist.train;

/** The running loss and accuracy over the epoch's batches so far, as Keras' progress bar shows. */
public record TrainingMetrics(double loss, double accuracy, long globalStep) {

  /** Whether the loss is a finite number (not NaN, not infinite). */
  public boolean finite() {
    return Double.isFinite(loss);
  }
}
