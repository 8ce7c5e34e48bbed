package org.tfmnist.train;

/**
 * The loss became NaN or infinite, so training stopped (Keras' {@code TerminateOnNaN}); the usual
 * cure is a lower learning rate.
 */
public final class NonFiniteLossException extends TrainingException {

  /** The loss is not finite, as {@code message} says in one line. */
  public NonFiniteLossException(String message) {
    super(message);
  }
}
