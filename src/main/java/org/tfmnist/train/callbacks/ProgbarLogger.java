package org.tfmnist.train.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;

/**
 * Keras' {@code ProgbarLogger}: "Epoch n/N", then on a terminal a live bar (steps, ETA, running
 * loss and accuracy, redrawn every quarter second) and, at the epoch's end, Keras' final line with
 * the validation figures. In logs only the final line is printed, as Keras does.
 */
public final class ProgbarLogger extends Callback implements AutoCloseable {

  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintStream out;
  private final boolean live;
  private EpochProgress progress;
  private long lastFetch;

  /**
   * Keras' {@code ProgbarLogger()}: to standard output, with a live bar when that is a terminal.
   */
  public ProgbarLogger() {
    this(System.out, System.console() != null);
  }

  /**
   * @param live redraw a live bar (a terminal); otherwise one line per epoch
   */
  public ProgbarLogger(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  @Override
  public void onEpochBegin(int epoch, int steps) {
    progress = new EpochProgress(out, live, "Epoch " + epoch + "/" + model.epochs(), steps);
    lastFetch = System.nanoTime();
  }

  @Override
  public boolean wantsBatchLogs(int step) {
    if (!live || System.nanoTime() - lastFetch < REDRAW_NANOS) {
      return false;
    }
    lastFetch = System.nanoTime();
    return true;
  }

  @Override
  public void onTrainBatchEnd(int step, Metrics running) {
    if (live) {
      progress.step(step);
      if (running != null) {
        progress.metrics(running.loss(), running.accuracy());
      }
    }
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    progress.finish(
        logs.seconds(),
        ProgressLine.metrics(logs.loss(), logs.accuracy())
            + String.format(
                Locale.ROOT,
                " - val_loss: %.4f - val_accuracy: %.4f",
                logs.valLoss(),
                logs.valAccuracy()));
    progress = null;
  }

  /** Stops a live bar's redraw thread however the training ended. */
  @Override
  public void close() {
    if (progress != null) {
      progress.close();
    }
  }
}
