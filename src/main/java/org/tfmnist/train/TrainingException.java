package org.tfmnist.train;

/** Training that cannot go on (a NaN loss, say), described in one line. */
public class TrainingException extends RuntimeException {

  /** Training cannot go on, for the reason {@code message} gives in one line. */
  public TrainingException(String message) {
    super(message);
  }
}
