package org.tfmnist.train;

/** The running loss and accuracy over the epoch's batches so far, as Keras' progress bar shows. */
public record TrainingMetrics(double loss, double accuracy, long globalStep) {

  public boolean finite() {
    return Double.isFinite(loss);
  }
}
