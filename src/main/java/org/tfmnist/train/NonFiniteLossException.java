package org.tfmnist.train;

/**
 * The loss became NaN or infinite, so training stopped (Keras' {@code TerminateOnNaN}); the usual
 * cure is a lower learning rate.
 */
public final class NonFiniteLossException extends TrainingException {

  public NonFiniteLossException(String message) {
    super(message);
  }
}
