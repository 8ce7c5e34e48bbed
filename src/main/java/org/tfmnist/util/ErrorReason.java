package org.tfmnist.util;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Why an operation failed, in a few words for a one-line error: Java's own messages for file errors
 * are often just the path, and TensorFlow's run over several lines.
 */
public final class ErrorReason {

  private ErrorReason() {}

  /**
   * "permission denied", "no such file or directory", the file system's reason, TensorFlow's
   * message on one line, else the exception's message (its class when it has none).
   */
  public static String of(Exception e) {
    if (e instanceof TensorFlowException) {
      return NativeErrors.reason(e);
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }
}
