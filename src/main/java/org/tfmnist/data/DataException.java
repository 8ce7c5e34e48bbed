package org.tfmnist.data;

import java.nio.file.Path;

/**
 * A problem with a data file or a data source, described in one line that names the file and what
 * is wrong with it. The CLI prints the message alone (no stack trace) and exits non-zero.
 */
public class DataException extends RuntimeException {

  /** A problem described in one line, naming the file and what is wrong with it. */
  public DataException(String message) {
    super(message);
  }

  /** A problem described in one line, with the exception that caused it. */
  public DataException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Why an I/O operation failed, in words: "permission denied", "no such file", "is a directory",
   * the file system's reason, else the exception's message (Java's own messages for these are often
   * just the path).
   */
  public static String reason(Exception e) {
    if (e instanceof org.tensorflow.exceptions.TensorFlowException) {
      return org.tfmnist.util.NativeErrors.reason(e);
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  /** "{file}: {what}", the one-line form used for every bad-file error. */
  public static DataException of(Path file, String what) {
    return new DataException(file + ": " + what);
  }
}
