package org.tfmnist.eval;

import java.util.Locale;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.runtime.ServingModel;

/**
 * Test-set figures of a classifier: loss (categorical cross-entropy of the probabilities, clipped
 * at 1e-7 as Keras does), accuracy, per-class accuracy and the confusion matrix (rows = true digit,
 * columns = predicted digit).
 */
public record Evaluation(double loss, int correct, int count, int[][] confusion) {

  /** Scores {@code probabilities} (one row of 10 per image) against {@code data}'s labels. */
  public static Evaluation of(float[][] probabilities, LabeledImages data) {
    if (probabilities.length != data.count()) {
      throw new IllegalArgumentException(
          probabilities.length + " predictions for " + data.count() + " images");
    }
    int[][] confusion = new int[10][10];
    double loss = 0;
    int correct = 0;
    for (int i = 0; i < probabilities.length; i++) {
      float[] p = probabilities[i];
      int label = data.label(i);
      int pred = ServingModel.argmax(p);
      confusion[label][pred]++;
      if (pred == label) {
        correct++;
      }
      double q = Math.min(Math.max(p[label], 1e-7), 1 - 1e-7);
      loss -= Math.log(q);
    }
    return new Evaluation(loss / data.count(), correct, data.count(), confusion);
  }

  /** The fraction of images whose most probable class is their label. */
  public double accuracy() {
    return (double) correct / count;
  }

  /** Accuracy on the images of each true class (recall per digit). */
  public double[] perClassAccuracy() {
    double[] acc = new double[10];
    for (int c = 0; c < 10; c++) {
      int total = 0;
      for (int p = 0; p < 10; p++) {
        total += confusion[c][p];
      }
      acc[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
    }
    return acc;
  }

  /** A readable report: totals, per-class accuracy, and the confusion matrix. */
  public String report(String title) {
    StringBuilder sb = new StringBuilder();
    sb.append(title).append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "test loss: %.4f - test accuracy: %.4f (%d/%d)%n%n",
            loss,
            accuracy(),
            correct,
            count));
    sb.append("per-class accuracy:\n");
    double[] pc = perClassAccuracy();
    for (int c = 0; c < 10; c++) {
      int total = 0;
      for (int p = 0; p < 10; p++) {
        total += confusion[c][p];
      }
      sb.append(
          String.format(Locale.ROOT, "  %d: %.4f (%d/%d)%n", c, pc[c], confusion[c][c], total));
    }
    sb.append("\nconfusion matrix (rows: true digit, columns: predicted digit):\n");
    sb.append("      ");
    for (int p = 0; p < 10; p++) {
      sb.append(String.format(Locale.ROOT, "%6d", p));
    }
    sb.append('\n');
    for (int c = 0; c < 10; c++) {
      sb.append(String.format(Locale.ROOT, "  %d | ", c));
      for (int p = 0; p < 10; p++) {
        sb.append(String.format(Locale.ROOT, "%6d", confusion[c][p]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
