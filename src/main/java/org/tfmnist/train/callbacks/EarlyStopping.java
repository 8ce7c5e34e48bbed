package org.tfmnist.train.callbacks;

import java.io.PrintStream;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;

/**
 * Keras' {@code EarlyStopping(monitor="val_loss", min_delta=0, patience=0,
 * restore_best_weights=False)}: stops training once the monitored figure has not improved by more
 * than {@code minDelta} for {@code patience} epochs; with {@code restoreBestWeights} the model goes
 * back to the weights of its best epoch when training ends, stopped or not.
 *
 * <p>{@code new EarlyStopping()} has Keras' defaults, including {@code verbose=0} (no message when
 * it stops); change them with the setters, as Keras' keyword arguments: {@code new
 * EarlyStopping().monitor("val_accuracy").patience(3).restoreBestWeights(true)}.
 */
public final class EarlyStopping extends Callback implements AutoCloseable {

  private Monitor monitor;
  private double minDelta;
  private int patience;
  private boolean restoreBestWeights;
  private PrintStream out;
  private double best;
  private int bestEpoch;
  private int wait;
  private int stoppedEpoch;
  private WeightSnapshot bestWeights;

  /**
   * Keras' {@code EarlyStopping()}: monitor {@code val_loss}, {@code min_delta=0}, {@code
   * patience=0}, {@code restore_best_weights=False}, {@code verbose=0}.
   */
  public EarlyStopping() {
    this(new Monitor("val_loss"), 0, 0, false, null);
  }

  /**
   * @param out where "Epoch n: early stopping" is printed (Keras' {@code verbose=1}); null for none
   */
  public EarlyStopping(
      Monitor monitor, double minDelta, int patience, boolean restoreBestWeights, PrintStream out) {
    this.monitor = monitor;
    minDelta(minDelta);
    patience(patience);
    this.restoreBestWeights = restoreBestWeights;
    this.out = out;
  }

  /** Keras' {@code monitor=...}: loss, accuracy, val_loss or val_accuracy. */
  public EarlyStopping monitor(String name) {
    this.monitor = new Monitor(name);
    return this;
  }

  /** Keras' {@code min_delta=...}: a smaller change is no improvement. */
  public EarlyStopping minDelta(double minDelta) {
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("EarlyStopping needs min_delta >= 0");
    }
    this.minDelta = minDelta;
    return this;
  }

  /** Keras' {@code patience=...}: epochs without improvement before training stops. */
  public EarlyStopping patience(int patience) {
    if (patience < 0) {
      throw new IllegalArgumentException("EarlyStopping needs patience >= 0");
    }
    this.patience = patience;
    return this;
  }

  /** Keras' {@code restore_best_weights=...}. */
  public EarlyStopping restoreBestWeights(boolean restore) {
    this.restoreBestWeights = restore;
    return this;
  }

  /** Keras' {@code verbose=...}: 1 prints the stop to standard output, 0 nothing. */
  public EarlyStopping verbose(int verbose) {
    this.out = verbose > 0 ? System.out : null;
    return this;
  }

  /** The figure watched. */
  public Monitor monitor() {
    return monitor;
  }

  /** The smallest change that counts as an improvement. */
  public double minDelta() {
    return minDelta;
  }

  /** Epochs without improvement before training stops. */
  public int patience() {
    return patience;
  }

  /** Whether the best epoch's weights are restored when training stops. */
  public boolean restoreBestWeights() {
    return restoreBestWeights;
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

  /**
   * As Keras 3.15's {@code EarlyStopping.on_train_end} (keras/src/callbacks/early_stopping.py,
   * lines 129-141): the best epoch's weights come back whenever there are some, whether training
   * stopped early or ran all its epochs.
   */
  @Override
  public void onTrainEnd() {
    if (stoppedEpoch > 0) {
      say("Epoch " + stoppedEpoch + ": early stopping");
    }
    if (restoreBestWeights && bestWeights != null) {
      say("Restoring model weights from the end of the best epoch: " + bestEpoch + ".");
      model.setWeights(bestWeights);
    }
  }

  private void say(String line) {
    if (out != null) {
      out.println(line);
    }
  }

  /** The epoch whose weights were best so far (0 before any). */
  public int bestEpoch() {
    return bestEpoch;
  }

  private void keep(WeightSnapshot weights) {
    if (bestWeights != null) {
      bestWeights.close();
    }
    bestWeights = weights;
  }

  @Override
  public void close() {
    if (bestWeights != null) {
      bestWeights.close();
      bestWeights = null;
    }
  }
}
