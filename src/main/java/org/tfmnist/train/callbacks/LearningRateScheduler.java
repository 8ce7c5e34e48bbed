package org.tfmnist.train.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import org.tfmnist.train.Callback;

/**
 * Keras' {@code LearningRateScheduler(schedule)}: before each epoch the rate becomes {@code
 * schedule(epoch, lr)}, epoch counting from 0 as in Keras. A rate that follows a schedule of its
 * own is refused.
 */
public final class LearningRateScheduler extends Callback {

  /** Keras' {@code schedule(epoch, lr)}. */
  @FunctionalInterface
  public interface Schedule {
    /** The learning rate for {@code epoch} (from 0), given the current rate {@code lr}. */
    double rate(int epoch, double lr);
  }

  private final Schedule schedule;
  private final PrintStream out;

  /** Keras' {@code LearningRateScheduler(schedule)}: {@code verbose=0}, nothing printed. */
  public LearningRateScheduler(Schedule schedule) {
    this(schedule, null);
  }

  /** {@code out} null prints nothing (Keras' verbose=0). */
  public LearningRateScheduler(Schedule schedule, PrintStream out) {
    this.schedule = schedule;
    this.out = out;
  }

  @Override
  public void onTrainBegin() {
    if (model.hasSchedule()) {
      throw new IllegalArgumentException(
          "LearningRateScheduler cannot change a learning rate " + "that follows a schedule");
    }
  }

  @Override
  public void onEpochBegin(int epoch, int steps) {
    double lr = schedule.rate(epoch - 1, model.learningRate());
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException(
          "the schedule gave learning rate " + lr + " for epoch " + epoch);
    }
    model.setLearningRate(lr);
    if (out != null) {
      out.printf(
          Locale.ROOT,
          "Epoch %d: LearningRateScheduler setting learning rate to %s.%n",
          epoch,
          (float) lr);
    }
  }
}
