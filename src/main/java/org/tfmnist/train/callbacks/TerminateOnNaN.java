package org.tfmnist.train.callbacks;

import java.util.Locale;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;
import org.tfmnist.train.NonFiniteLossException;

/**
 * Keras' {@code TerminateOnNaN}: a NaN or infinite loss stops training at once. It looks at the
 * running loss every quarter second and at each epoch's end, and throws before any later callback
 * (a checkpoint) keeps anything of that epoch; put it first.
 */
public final class TerminateOnNaN extends Callback {

  private static final long CHECK_NANOS = 250_000_000L;

  private int epoch;
  private int steps;
  private long lastCheck;

  @Override
  public void onEpochBegin(int epoch, int steps) {
    this.epoch = epoch;
    this.steps = steps;
    this.lastCheck = System.nanoTime();
  }

  @Override
  public boolean wantsBatchLogs(int step) {
    if (System.nanoTime() - lastCheck < CHECK_NANOS) {
      return false;
    }
    lastCheck = System.nanoTime();
    return true;
  }

  @Override
  public void onTrainBatchEnd(int step, Metrics running) {
    if (running != null && !running.finite()) {
      throw stop(running.loss(), step);
    }
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    if (!Double.isFinite(logs.loss())) {
      throw stop(logs.loss(), steps);
    }
  }

  private NonFiniteLossException stop(double loss, int step) {
    return new NonFiniteLossException(
        String.format(
            Locale.ROOT,
            "the loss became %s in epoch %d by step %d of %d: training stopped, nothing of this "
                + "epoch was kept",
            Double.isNaN(loss) ? "NaN" : "infinite",
            epoch,
            step,
            steps));
  }
}
