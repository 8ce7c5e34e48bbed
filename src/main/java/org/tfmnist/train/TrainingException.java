package org.tfmnist.train;

/** Training that cannot go on (a NaN loss, say), described in one line. */
public class TrainingException extends RuntimeException {

  public TrainingException(String message) {
    super(message);
  }
}
