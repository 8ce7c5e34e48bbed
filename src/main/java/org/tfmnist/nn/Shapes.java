package org.tfmnist.nn;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Shape helpers; shapes exclude the batch dimension.
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class Shapes {

  private Shapes() {}

  public static long size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** Keras' printing: (None, 26, 26, 32). */
  public static String keras(long[] shape) {
    return "(None, "
        + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "))
        + ")";
  }

  /** [-1, ...shape], for reshapes and placeholders. */
  public static long[] withBatch(long[] shape) {
    long[] s = new long[shape.length + 1];
    s[0] = -1;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }
}
