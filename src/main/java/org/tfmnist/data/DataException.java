package org.tfmnist.data;

import java.nio.file.Path;

/**
 * A problem with a data file or a data source, described in one line that names the file and what
 * is wrong with it. The CLI prints the message alone (no stack trace) and exits non-zero.
 */
public class DataException extends RuntimeException {

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "{file}: {what}", the one-line form used for every bad-file error. */
  public static DataException of(Path file, String what) {
    return new DataException(file + ": " + what);
  }
}
