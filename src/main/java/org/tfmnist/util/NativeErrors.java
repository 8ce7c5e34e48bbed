package org.tfmnist.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TensorFlow's error messages as one line in the product's words. TensorFlow appends the graph node
 * that failed ({@code [[{{node save/SaveV2}}]]}) and, to every RESOURCE_EXHAUSTED status, a hint
 * about out-of-memory reports; a full disk is such a status, so the hint would send the user
 * looking for a memory problem.
 */
public final class NativeErrors {

  /** How TensorFlow's file system reports a failed call: "PATH; strerror". */
  private static final Pattern FILE_ERROR = Pattern.compile("(/.*?)(?:\\.tempstate\\d+)?; (.+)");

  private static final String NO_SPACE = "No space left on device";

  private NativeErrors() {}

  /** The reason {@code e} gives, on one line, naming the file a file error concerns. */
  public static String reason(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String first = m.strip().lines().findFirst().orElse("").strip();
    Matcher f = FILE_ERROR.matcher(first);
    if (f.matches()) {
      String path = AtomicDir.realName(f.group(1));
      return path + ": " + (f.group(2).startsWith(NO_SPACE) ? noSpace() : f.group(2));
    }
    return m.contains(NO_SPACE) ? noSpace() : first;
  }

  private static String noSpace() {
    return "the write failed: no space left on the device";
  }
}
