package org.tfmnist.export;

/** A SavedModel that cannot be written or does not fit, described in one line. */
public class ExportException extends RuntimeException {

  /** An export error; {@code message} names the file and says what is wrong. */
  public ExportException(String message) {
    super(message);
  }

  /** As {@link #ExportException(String)}, with the error that caused it. */
  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }
}
