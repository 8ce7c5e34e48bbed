package org.tfmnist.train;

import java.util.ArrayList;
import java.util.List;
import org.tfmnist.metrics.Metrics;

/**
 * Keras' {@code CallbackList}: the callbacks of one {@code fit}, each event dispatched to all of
 * them in order. It fetches the running figures once for a step when any callback asks for them
 * (fetching is a session run, and a step is one run), and closes the callbacks that hold files when
 * training ends, however it ends.
 */
final class CallbackList implements AutoCloseable {

  private final List<Callback> callbacks;

  /** The callbacks, with Keras' progress bar first when {@code verbose} asks for one. */
  CallbackList(List<Callback> callbacks, int verbose, Model model) {
    this.callbacks = ModelInputs.withProgress(callbacks, verbose);
    this.callbacks.forEach(c -> c.setModel(model));
  }

  void onTrainBegin() {
    callbacks.forEach(Callback::onTrainBegin);
  }

  void onEpochBegin(int epoch, int steps) {
    callbacks.forEach(c -> c.onEpochBegin(epoch, steps));
  }

  void onTrainBatchEnd(int step, Model model) {
    Metrics running = null;
    for (Callback c : callbacks) {
      if (c.wantsBatchLogs(step)) {
        running = model.trainMetrics();
        break;
      }
    }
    for (Callback c : callbacks) {
      c.onTrainBatchEnd(step, running);
    }
  }

  void onEpochEnd(History.Epoch logs) {
    callbacks.forEach(c -> c.onEpochEnd(logs));
  }

  void onTrainEnd() {
    callbacks.forEach(Callback::onTrainEnd);
  }

  /**
   * Closes every callback that holds a resource, all of them even when one fails; the first failure
   * is thrown once all are closed (a log that cannot be flushed has lost lines).
   */
  @Override
  public void close() {
    List<Exception> failures = new ArrayList<>();
    for (Callback c : callbacks) {
      if (c instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          failures.add(e);
        }
      }
    }
    if (!failures.isEmpty()) {
      TrainingException e =
          new TrainingException("a callback could not be closed: " + failures.get(0).getMessage());
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }
}
