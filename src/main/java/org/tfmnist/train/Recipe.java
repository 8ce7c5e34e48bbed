package org.tfmnist.train;

import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Loss;
import org.tfmnist.optim.OptimizerSpec;

/**
 * How a model is trained: Keras' {@code compile(optimizer, loss)} and {@code fit(epochs,
 * batch_size, validation_...)} in one value.
 *
 * <p>What a checkpoint records of how its run was trained ({@link Checkpoints.State#recipe()}).
 *
 * @param validationSplit 0 validates on the test set each epoch ({@code validation_data=(x_test,
 *     y_test)}); a fraction f holds out the last f of the training set, as Keras' {@code
 *     validation_split} does (before shuffling)
 * @param dtypePolicy the type the layers compute in while training (Keras' global dtype policy);
 *     variables stay float32
 */
public record Recipe(
    OptimizerSpec optimizer,
    Loss loss,
    int epochs,
    int batchSize,
    double validationSplit,
    DTypePolicy dtypePolicy) {

  /** Refuses a negative epoch count, a batch below 1, no policy and a split outside [0, 1). */
  public Recipe {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (dtypePolicy == null) {
      throw new IllegalArgumentException("a dtype policy is needed (float32 by default)");
    }
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new IllegalArgumentException(
          "validation split must be in [0, 1), got " + validationSplit);
    }
  }

  /**
   * {@code model.compile(optimizer=..., loss=...)} with {@code fit}'s defaults (1 epoch, batch 32,
   * validation on the test set); {@link #withEpochs}, {@link #withBatchSize} and {@link
   * #validationSplit} set fit's arguments. Nothing is trained here: a recipe only says how.
   */
  public static Recipe compile(OptimizerSpec optimizer, Loss loss) {
    return new Recipe(optimizer, loss, 1, 32, 0, DTypePolicy.FLOAT32);
  }

  /** This recipe with optimizer {@code o}. */
  public Recipe withOptimizer(OptimizerSpec o) {
    return new Recipe(o, loss, epochs, batchSize, validationSplit, dtypePolicy);
  }

  /** This recipe with {@code e} epochs. */
  public Recipe withEpochs(int e) {
    return new Recipe(optimizer, loss, e, batchSize, validationSplit, dtypePolicy);
  }

  /** This recipe with batches of {@code b}. */
  public Recipe withBatchSize(int b) {
    return new Recipe(optimizer, loss, epochs, b, validationSplit, dtypePolicy);
  }

  /** {@code validation_split=f}. */
  public Recipe validationSplit(double f) {
    return new Recipe(optimizer, loss, epochs, batchSize, f, dtypePolicy);
  }

  /** Keras' {@code keras.mixed_precision.set_global_policy(p)} for the training run. */
  public Recipe withDTypePolicy(DTypePolicy p) {
    return new Recipe(optimizer, loss, epochs, batchSize, validationSplit, p);
  }
}
