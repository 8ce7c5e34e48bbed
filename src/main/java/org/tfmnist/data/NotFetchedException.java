package org.tfmnist.data;

/**
 * No source had a data set's files (or none that matched their checksums): the message says which
 * files, where they were wanted and what each source answered.
 */
public final class NotFetchedException extends BadInputException {

  /**
   * No source had the files; {@code message} says which files, where and what each source answered.
   */
  public NotFetchedException(String message) {
    super(message);
  }
}
