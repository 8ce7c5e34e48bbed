package org.tfmnist.train.callbacks;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressState;

/**
 * One epoch's progress in Keras' format. On a terminal a live bar (step/total, ETA, running loss
 * and accuracy) is redrawn in place by the progressbar library's refresh thread; elsewhere (logs,
 * CI) only the final line is printed, as Keras does when its output is not a terminal.
 */
final class EpochProgress implements AutoCloseable {

  private final PrintStream out;
  private final long total;
  private final ProgressBar bar;
  private boolean closed;

  /** The length of the last live line drawn (the refresh thread's only state). */
  private int previousLength;

  EpochProgress(PrintStream out, boolean live, String title, long total) {
    this.out = out;
    this.total = total;
    out.println(title);
    if (live) {
      this.bar =
          new ProgressBarBuilder()
              .setInitialMax(total)
              .setUpdateIntervalMillis(200)
              .setRenderer(this::render)
              .setConsumer(new ConsoleProgressBarConsumer(out))
              .clearDisplayOnFinish()
              .build();
    } else {
      this.bar = null;
    }
  }

  /** The live line: {@code 234/469 [=====>....] - ETA: 1s - loss: 0.2544 - accuracy: 0.92}. */
  private String render(ProgressState s, int maxLength) {
    long cur = s.getCurrent();
    long max = s.getMax();
    Duration elapsed = s.getElapsedAfterStart();
    double secs = elapsed.toNanos() / 1e9;
    String eta = cur == 0 ? "?" : ProgressLine.duration(secs / cur * (max - cur));
    String msg = s.getExtraMessage();
    String tail = " - ETA: " + eta + (msg == null || msg.isEmpty() ? "" : " - " + msg);
    String count = ProgressLine.count(cur, max) + " ";
    // narrow terminals get a shorter bar rather than a cut-off accuracy
    int room = maxLength <= 0 ? ProgressLine.WIDTH : maxLength - count.length() - tail.length() - 2;
    int width = Math.max(10, Math.min(ProgressLine.WIDTH, room));
    String line = count + ProgressLine.bar(cur, max, width) + tail;
    if (maxLength > 0 && line.length() > maxLength) {
      line = line.substring(0, maxLength);
    }
    String drawn = ProgressLine.padded(line, previousLength, maxLength);
    previousLength = line.length();
    return drawn;
  }

  void step(long done) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  void metrics(double loss, double accuracy) {
    if (bar != null) {
      bar.setExtraMessage(ProgressLine.metrics(loss, accuracy));
    }
  }

  /** Prints the epoch's final Keras line: its time (validation included), then the figures. */
  void finish(double secs, String figures) {
    close();
    out.println(
        ProgressLine.count(total, total)
            + " "
            + ProgressLine.bar(total, total)
            + " - "
            + ProgressLine.duration(secs)
            + " "
            + ProgressLine.perStep(secs, total)
            + " - "
            + figures);
  }

  @Override
  public void close() {
    if (bar != null && !closed) {
      closed = true;
      bar.close();
    }
  }
}
