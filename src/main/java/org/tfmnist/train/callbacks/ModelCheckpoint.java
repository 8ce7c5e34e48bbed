package org.tfmnist.train.callbacks;

import java.util.function.Function;
import org.tfmnist.train.Callback;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.History;

/**
 * Keras' {@code ModelCheckpoint(filepath, monitor, save_best_only=True)}: keeps the checkpoint
 * (weights, optimizer state and run state) of the epoch whose monitored figure was best so far, in
 * the checkpoint directory's {@code best/}.
 */
public final class ModelCheckpoint extends Callback {

  private final Checkpoints checkpoints;
  private final Monitor monitor;
  private final Function<History.Epoch, Checkpoints.State> state;
  private double best;

  public ModelCheckpoint(
      Checkpoints checkpoints, Monitor monitor, Function<History.Epoch, Checkpoints.State> state) {
    this.checkpoints = checkpoints;
    this.monitor = monitor;
    this.state = state;
  }

  @Override
  public void onTrainBegin() {
    // a resumed run's earlier epochs count: the best stays the best of the whole run
    best = monitor.worst();
    for (History.Epoch e : model.history().epochs()) {
      best = monitor.improves(monitor.of(e), best, 0) ? monitor.of(e) : best;
    }
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    double current = monitor.of(logs);
    if (monitor.improves(current, best, 0)) {
      best = current;
      checkpoints.saveBest(model.graph(), state.apply(logs));
    }
  }
}
