package org.tfmnist.train.callbacks;

import java.util.Locale;
import org.tfmnist.train.History;

/**
 * The figure a callback watches, by its Keras name ({@code val_loss}, {@code val_accuracy}, {@code
 * loss}, {@code accuracy}), and which way is better: Keras' {@code mode="auto"} (an accuracy is
 * better higher, a loss lower).
 */
public record Monitor(String name) {

  /**
   * Refuses a name other than {@code loss}, {@code accuracy}, {@code val_loss}, {@code
   * val_accuracy}.
   */
  public Monitor {
    if (!java.util.List.of("loss", "accuracy", "val_loss", "val_accuracy").contains(name)) {
      throw new IllegalArgumentException(
          "cannot monitor '" + name + "' (one of loss, accuracy, " + "val_loss, val_accuracy)");
    }
  }

  /** The watched figure of epoch {@code e}. */
  public double of(History.Epoch e) {
    return switch (name) {
      case "loss" -> e.loss();
      case "accuracy" -> e.accuracy();
      case "val_loss" -> e.valLoss();
      default -> e.valAccuracy();
    };
  }

  /** True for an accuracy, false for a loss. */
  public boolean higherIsBetter() {
    return name.toLowerCase(Locale.ROOT).endsWith("accuracy");
  }

  /** Whether {@code current} beats {@code best} by more than {@code minDelta}. */
  public boolean improves(double current, double best, double minDelta) {
    return higherIsBetter() ? current - minDelta > best : current + minDelta < best;
  }

  /** The starting "best": the worst possible value. */
  public double worst() {
    return higherIsBetter() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }
}
