package org.tfmnist.train;

import java.util.List;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.metrics.Metrics;

/**
 * Keras' training loop ({@code keras/src/trainers/trainer.py}'s {@code fit}) and the state it keeps
 * across calls: the epochs done, the history, and the flag a callback sets to stop. Per epoch: the
 * callbacks' {@code on_epoch_begin}, a fresh shuffle, the steps (each one session run), the
 * validation, the epoch's figures in the history, then {@code on_epoch_end}.
 */
final class Trainer {

  private History history = new History();
  private int initialEpoch;
  private int epochs;
  private boolean stopTraining;

  /**
   * Trains {@code graph} (which holds the training data) until {@code epochs} epochs are done,
   * counting those done before, or a callback stops it; validates on {@code validation}.
   */
  History fit(
      Model model,
      TrainingGraph graph,
      LabeledImages validation,
      int epochs,
      List<Callback> callbacks,
      int verbose) {
    this.epochs = epochs;
    this.stopTraining = false;
    try (CallbackList cbs = new CallbackList(callbacks, verbose, model)) {
      cbs.onTrainBegin();
      int steps = graph.stepsPerEpoch();
      for (int epoch = initialEpoch; epoch < epochs && !stopTraining; epoch++) {
        cbs.onEpochBegin(epoch + 1, steps);
        long t0 = System.nanoTime();
        graph.startEpoch(epoch);
        for (int s = 1; s <= steps; s++) {
          graph.step();
          cbs.onTrainBatchEnd(s, model);
        }
        Metrics m = graph.running();
        Metrics val = graph.evaluate(validation);
        double seconds = (System.nanoTime() - t0) / 1e9; // as Keras: validation included
        History.Epoch e =
            new History.Epoch(
                epoch + 1, m.loss(), m.accuracy(), val.loss(), val.accuracy(), seconds);
        history.add(e);
        cbs.onEpochEnd(e);
        initialEpoch = epoch + 1;
      }
      cbs.onTrainEnd();
    }
    return history;
  }

  void stopTraining() {
    stopTraining = true;
  }

  int epochs() {
    return epochs;
  }

  void resumeAt(int done, History restored) {
    this.initialEpoch = done;
    this.history = restored;
  }

  History history() {
    return history;
  }
}
