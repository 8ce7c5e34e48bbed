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
 *
 * <p>{@code new ReduceLROnPlateau()} has Keras' defaults, including {@code verbose=0}; change them
 * with the setters, as Keras' keyword arguments: {@code new
 * ReduceLROnPlateau().factor(0.5).patience(2)}.
 */
public final class ReduceLROnPlateau extends Callback {

  private Monitor monitor;
  private double factor;
  private int patience;
  private double minDelta;
  private int cooldown;
  private double minLr;
  private PrintStream out;
  private double best;
  private int wait;
  private int cooldownCounter;

  /**
   * Keras' {@code ReduceLROnPlateau()}: monitor {@code val_loss}, {@code factor=0.1}, {@code
   * patience=10}, {@code min_delta=1e-4}, {@code cooldown=0}, {@code min_lr=0}, {@code verbose=0}.
   */
  public ReduceLROnPlateau() {
    this(new Monitor("val_loss"), 0.1, 10, 1e-4, 0, 0, null);
  }

  /**
   * @param out where each reduction is printed (Keras' {@code verbose=1}); null for none
   */
  public ReduceLROnPlateau(
      Monitor monitor,
      double factor,
      int patience,
      double minDelta,
      int cooldown,
      double minLr,
      PrintStream out) {
    this.monitor = monitor;
    this.factor = factor;
    this.patience = patience;
    this.minDelta = minDelta;
    this.cooldown = cooldown;
    this.minLr = minLr;
    this.out = out;
    check();
  }

  private ReduceLROnPlateau check() {
    if (!(factor > 0 && factor < 1) || patience < 0 || cooldown < 0 || !(minLr >= 0)) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau needs 0 < factor < 1, patience, " + "cooldown and min_lr >= 0");
    }
    return this;
  }

  /** Keras' {@code monitor=...}: loss, accuracy, val_loss or val_accuracy. */
  public ReduceLROnPlateau monitor(String name) {
    this.monitor = new Monitor(name);
    return this;
  }

  /** Keras' {@code factor=...}: the new rate is the old one times this (0 &lt; factor &lt; 1). */
  public ReduceLROnPlateau factor(double factor) {
    this.factor = factor;
    return check();
  }

  /** Keras' {@code patience=...}: epochs without improvement before the rate is reduced. */
  public ReduceLROnPlateau patience(int patience) {
    this.patience = patience;
    return check();
  }

  /** Keras' {@code min_delta=...}: a smaller change is no improvement. */
  public ReduceLROnPlateau minDelta(double minDelta) {
    this.minDelta = minDelta;
    return check();
  }

  /** Keras' {@code cooldown=...}: epochs to wait after a reduction. */
  public ReduceLROnPlateau cooldown(int cooldown) {
    this.cooldown = cooldown;
    return check();
  }

  /** Keras' {@code min_lr=...}: the rate is never reduced below this. */
  public ReduceLROnPlateau minLr(double minLr) {
    this.minLr = minLr;
    return check();
  }

  /** Keras' {@code verbose=...}: 1 prints each reduction to standard output, 0 nothing. */
  public ReduceLROnPlateau verbose(int verbose) {
    this.out = verbose > 0 ? System.out : null;
    return this;
  }

  /** The figure watched. */
  public Monitor monitor() {
    return monitor;
  }

  /** What the rate is multiplied by at a plateau. */
  public double factor() {
    return factor;
  }

  /** Epochs without improvement before the rate is reduced. */
  public int patience() {
    return patience;
  }

  /** The smallest change that counts as an improvement. */
  public double minDelta() {
    return minDelta;
  }

  /** Epochs left alone after a reduction. */
  public int cooldown() {
    return cooldown;
  }

  /** The lowest rate a reduction gives. */
  public double minLr() {
    return minLr;
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
          if (out != null) {
            out.printf(
                Locale.ROOT,
                "Epoch %d: ReduceLROnPlateau reducing learning rate to %s.%n",
                logs.epoch(),
                (float) lr);
          }
          cooldownCounter = cooldown;
          wait = 0;
        }
      }
    }
  }
}
