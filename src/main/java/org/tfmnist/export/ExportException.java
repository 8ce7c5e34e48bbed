package org.tfmnist.export;

/** A SavedModel that cannot be written or does not fit, described in one line. */
public class ExportException extends RuntimeException {

  public ExportException(String message) {
    super(message);
  }

  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }
}
