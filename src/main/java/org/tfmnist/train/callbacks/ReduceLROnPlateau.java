package org.tfmnist.train.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;

/**
 * Keras' {@code ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=10, min_delta=1e-4,
 * cooldown=0, min_lr=0)}: once the monitored figure has not improved for {@code patience} epochs,
 * the learning rate is multiplied by {@code factor} (not below {@code minLr}), then left alone for
 * {@code cooldown} epochs. A rate that follows a schedule is refused, as Keras refuses it.
 */
public final class ReduceLROnPlateau extends Callback {

  private final Monitor monitor;
  private final double factor;
  private final int patience;
  private final double minDelta;
  private final int cooldown;
  private final double minLr;
  private final PrintStream out;
  private double best;
  private int wait;
  private int cooldownCounter;

  public ReduceLROnPlateau(
      Monitor monitor,
      double factor,
      int patience,
      double minDelta,
      int cooldown,
      double minLr,
      PrintStream out) {
    if (!(factor > 0 && factor < 1) || patience < 0 || cooldown < 0 || !(minLr >= 0)) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau needs 0 < factor < 1, patience, " + "cooldown and min_lr >= 0");
    }
    this.monitor = monitor;
    this.factor = factor;
    this.patience = patience;
    this.minDelta = minDelta;
    this.cooldown = cooldown;
    this.minLr = minLr;
    this.out = out;
  }

  @Override
  public void onTrainBegin() {
    if (model.hasSchedule()) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau cannot change a learning rate that " + "follows a schedule");
    }
    best = monitor.worst();
    wait = 0;
    cooldownCounter = 0;
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    double current = monitor.of(logs);
    boolean inCooldown = cooldownCounter > 0;
    if (inCooldown) {
      cooldownCounter--;
      wait = 0;
    }
    if (monitor.improves(current, best, minDelta)) {
      best = current;
      wait = 0;
    } else if (!inCooldown) {
      wait++;
      if (wait >= patience) {
        double old = model.learningRate();
        if (old > minLr) {
          double lr = Math.max(old * factor, minLr);
          model.setLearningRate(lr);
          out.printf(
              Locale.ROOT,
              "Epoch %d: ReduceLROnPlateau reducing learning rate to %s.%n",
              logs.epoch(),
              (float) lr);
          cooldownCounter = cooldown;
          wait = 0;
        }
      }
    }
  }
}
