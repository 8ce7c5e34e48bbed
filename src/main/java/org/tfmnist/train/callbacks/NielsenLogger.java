package org.tfmnist.train.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;

/**
 * The line Nielsen's network prints after every epoch, {@code print("Epoch {0}: {1} %".format(j +
 * 1, 100 * self.evaluate(test_data) / n_test))}: the validation accuracy in percent.
 */
public final class NielsenLogger extends Callback {

  private final PrintStream out;

  /** A logger that prints its line to {@code out} after every epoch. */
  public NielsenLogger(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    out.printf(
        Locale.ROOT, "Epoch %d: %s %%%n", logs.epoch(), stripZeros(100 * logs.valAccuracy()));
  }

  private static String stripZeros(double v) {
    String s = String.format(Locale.ROOT, "%.4f", v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", ".0") : s;
  }
}
