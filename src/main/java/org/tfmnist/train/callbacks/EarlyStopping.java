package org.tfmnist.train.callbacks;

import java.io.PrintStream;
import java.util.Map;
import org.tensorflow.types.TFloat32;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;

/**
 * Keras' {@code EarlyStopping(monitor="val_loss", min_delta=0, patience=0,
 * restore_best_weights=False)}: stops training once the monitored figure has not improved by more
 * than {@code minDelta} for {@code patience} epochs; with {@code restoreBestWeights} the model then
 * goes back to the weights of its best epoch.
 */
public final class EarlyStopping extends Callback implements AutoCloseable {

  private final Monitor monitor;
  private final double minDelta;
  private final int patience;
  private final boolean restoreBestWeights;
  private final PrintStream out;
  private double best;
  private int bestEpoch;
  private int wait;
  private int stoppedEpoch;
  private Map<String, TFloat32> bestWeights;

  public EarlyStopping(
      Monitor monitor, double minDelta, int patience, boolean restoreBestWeights, PrintStream out) {
    if (patience < 0 || !(minDelta >= 0)) {
      throw new IllegalArgumentException("EarlyStopping needs patience >= 0 and min_delta >= 0");
    }
    this.monitor = monitor;
    this.minDelta = minDelta;
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
    this.out = out;
  }

  @Override
  public void onTrainBegin() {
    best = monitor.worst();
    bestEpoch = 0;
    wait = 0;
    stoppedEpoch = 0;
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    double current = monitor.of(logs);
    wait++;
    if (monitor.improves(current, best, minDelta)) {
      best = current;
      bestEpoch = logs.epoch();
      wait = 0;
      if (restoreBestWeights) {
        keep(model.weights());
      }
      return;
    }
    if (wait >= patience && logs.epoch() > 1) {
      stoppedEpoch = logs.epoch();
      model.stopTraining();
    }
  }

  @Override
  public void onTrainEnd() {
    if (stoppedEpoch > 0) {
      out.println("Epoch " + stoppedEpoch + ": early stopping");
      if (restoreBestWeights && bestWeights != null) {
        out.println("Restoring model weights from the end of the best epoch: " + bestEpoch + ".");
        model.setWeights(bestWeights);
      }
    }
  }

  /** The epoch whose weights were best so far (0 before any). */
  public int bestEpoch() {
    return bestEpoch;
  }

  private void keep(Map<String, TFloat32> weights) {
    if (bestWeights != null) {
      TrainingGraph.closeAll(bestWeights);
    }
    bestWeights = weights;
  }

  @Override
  public void close() {
    if (bestWeights != null) {
      TrainingGraph.closeAll(bestWeights);
      bestWeights = null;
    }
  }
}
