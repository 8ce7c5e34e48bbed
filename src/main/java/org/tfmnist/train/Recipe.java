package org.tfmnist.train;

import org.tfmnist.nn.Loss;
import org.tfmnist.optim.OptimizerSpec;

/**
 * How a model is trained: Keras' {@code compile(optimizer, loss)} and {@code fit(epochs,
 * batch_size, validation_...)} in one value.
 *
 * @param validationSplit 0 validates on the test set each epoch ({@code validation_data=(x_test,
 *     y_test)}); a fraction f holds out the last f of the training set, as Keras'
 *     {@code validation_split} does (before shuffling)
 * @param report KERAS prints Keras' epoch lines; NIELSEN also prints seed 001's
 *     "Epoch n: acc %" line
 */
public record Recipe(
    OptimizerSpec optimizer, Loss loss, int epochs, int batchSize, double validationSplit,
    Report report) {

  /** How each epoch's end is reported. */
  public enum Report {
    KERAS,
    NIELSEN
  }

  public Recipe {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new IllegalArgumentException("validation split must be in [0, 1), got "
          + validationSplit);
    }
  }

  /** {@code model.compile(optimizer=..., loss=...)}; fit's arguments follow. */
  public static Builder compile(OptimizerSpec optimizer, Loss loss) {
    return new Builder(optimizer, loss);
  }

  /** Reads like {@code .fit(epochs=5, batch_size=128)}. */
  public static final class Builder {
    private final OptimizerSpec optimizer;
    private final Loss loss;

    private Builder(OptimizerSpec optimizer, Loss loss) {
      this.optimizer = optimizer;
      this.loss = loss;
    }

    public Recipe fit(int epochs, int batchSize) {
      return new Recipe(optimizer, loss, epochs, batchSize, 0, Report.KERAS);
    }
  }

  public Recipe withOptimizer(OptimizerSpec o) {
    return new Recipe(o, loss, epochs, batchSize, validationSplit, report);
  }

  public Recipe withEpochs(int e) {
    return new Recipe(optimizer, loss, e, batchSize, validationSplit, report);
  }

  public Recipe withBatchSize(int b) {
    return new Recipe(optimizer, loss, epochs, b, validationSplit, report);
  }

  /** {@code validation_split=f}. */
  public Recipe validationSplit(double f) {
    return new Recipe(optimizer, loss, epochs, batchSize, f, report);
  }

  public Recipe reportLike(Report r) {
    return new Recipe(optimizer, loss, epochs, batchSize, validationSplit, r);
  }
}
