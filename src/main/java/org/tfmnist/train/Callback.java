package org.tfmnist.train;

import org.tfmnist.metrics.Metrics;

/**
 * Keras' {@code keras.callbacks.Callback}: a side job of {@link Model#fit} (progress, stopping,
 * checkpoints, logs) that hooks into the loop's events and acts through the model ({@link
 * Model#stopTraining()}, its learning rate, its weights). Every hook does nothing by default.
 *
 * <p>Epochs are 1-based in the figures ({@link History.Epoch#epoch()}), as Keras prints them.
 * {@link #onTrainBatchEnd} gets the running figures only on the steps some callback asked for them
 * ({@link #wantsBatchLogs}): fetching them is a session run, and a step is one run.
 */
public abstract class Callback {

  /** The model being trained (set before {@link #onTrainBegin}). */
  protected Model model;

  final void setModel(Model model) {
    this.model = model;
  }

  /** Before the first epoch (after the graph is built: a restore goes here). */
  public void onTrainBegin() {}

  /** Before epoch {@code epoch} (1-based) starts. */
  public void onEpochBegin(int epoch, int steps) {}

  /** Whether this callback wants the running loss and accuracy after step {@code step}. */
  public boolean wantsBatchLogs(int step) {
    return false;
  }

  /** After step {@code step} (1-based) of the epoch; {@code running} is null unless fetched. */
  public void onTrainBatchEnd(int step, Metrics running) {}

  /** After the epoch and its validation: Keras' {@code logs}. */
  public void onEpochEnd(History.Epoch logs) {}

  /** After the last epoch, or once a callback stopped training. */
  public void onTrainEnd() {}
}
