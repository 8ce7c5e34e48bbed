package org.tfmnist.data;

import java.nio.file.Path;

/**
 * Input this library cannot use: a data file, a picture, a model or checkpoint file, an output
 * directory, a port. The message is one line naming the file (or the thing) and what is wrong with
 * it; the command line prints it alone, with no stack trace, and exits 1.
 */
public class BadInputException extends RuntimeException {

  /** A problem described in one line, naming the file and what is wrong with it. */
  public BadInputException(String message) {
    super(message);
  }

  /** A problem described in one line, with the exception that caused it. */
  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "{file}: {what}", the one-line form used for every bad-file error. */
  public static BadInputException of(Path file, String what) {
    return new BadInputException(file + ": " + what);
  }
}
