package org.tfmnist.train.callbacks;

import java.util.Locale;

/** Keras' epoch line: {@code 469/469 [=====...] - 1s 2ms/step - loss: 0.2676 - ...}. */
final class ProgressLine {

  static final int WIDTH = 30;

  private ProgressLine() {}

  /** The bar: '=' for done, '>' at the head, '.' for the rest (Keras' drawing). */
  static String bar(long current, long total) {
    return bar(current, total, WIDTH);
  }

  static String bar(long current, long total, int width) {
    if (total <= 0 || current >= total) {
      return "[" + "=".repeat(width) + "]";
    }
    int done = (int) (width * current / total);
    String head = done > 0 ? "=".repeat(done - 1) + ">" : "";
    return "[" + head + ".".repeat(width - done) + "]";
  }

  static String count(long current, long total) {
    String t = Long.toString(total);
    return String.format(Locale.ROOT, "%" + t.length() + "d/%s", current, t);
  }

  /** Keras' short durations: "2s", "1m 3s", "1h 2m". */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return (s / 3600) + "h " + (s % 3600 / 60) + "m";
  }

  /** Keras' time per step: "2ms/step", "850us/step". */
  static String perStep(double seconds, long steps) {
    double per = steps == 0 ? 0 : seconds / steps;
    if (per >= 1) {
      return String.format(Locale.ROOT, "%.0fs/step", per);
    }
    if (per >= 1e-3) {
      return String.format(Locale.ROOT, "%.0fms/step", per * 1e3);
    }
    return String.format(Locale.ROOT, "%.0fus/step", per * 1e6);
  }

  /**
   * {@code line} padded with spaces over what a longer previous line left on the terminal (the ETA
   * going from 10s to 9s shortens it), as Keras' progress bar pads; never past {@code maxLength}
   * when that is known (> 0).
   */
  static String padded(String line, int previousLength, int maxLength) {
    int target = maxLength > 0 ? Math.min(previousLength, maxLength) : previousLength;
    return line.length() >= target ? line : line + " ".repeat(target - line.length());
  }

  static String metrics(double loss, double accuracy) {
    return String.format(Locale.ROOT, "loss: %.4f - accuracy: %.4f", loss, accuracy);
  }
}
