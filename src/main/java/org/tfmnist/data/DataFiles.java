package org.tfmnist.data;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import org.tfmnist.util.ErrorReason;

/**
 * What every reader of an input file checks before it reads: that the path is a regular file (a
 * FIFO would block the open, {@code /dev/zero} never ends), and that the sizes a header declares
 * fit a fixed limit and the memory Java has left, so a small file that declares a huge array is
 * refused from its header, before anything is allocated.
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class DataFiles {

  /**
   * The most pixel (or label) bytes one data-set array may declare: 128 MiB, about 170,000 images
   * of 28x28, nearly three times MNIST's training set.
   */
  public static final long MAX_DATA_BYTES = 128L << 20;

  /** Read in steps of this much, so memory follows the bytes that are really there. */
  private static final int FIRST_STEP = 8 << 20;

  private DataFiles() {}

  /**
   * Throws a one-line {@link BadInputException} unless {@code file} is a regular file (links
   * followed). Only the file's attributes are read: a FIFO with no writer is refused, not opened.
   */
  public static void requireRegular(Path file) {
    String why = notRegular(file);
    if (why != null) {
      throw BadInputException.of(file, why);
    }
  }

  /** Why {@code file} is not a regular file ("is a directory", "no such file..."), or null. */
  public static String notRegular(Path file) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return Files.isSymbolicLink(file)
          ? "no such file or directory (a symbolic link to a missing target)"
          : "no such file or directory";
    } catch (IOException e) {
      return "cannot read: " + ErrorReason.of(e);
    }
    if (a.isRegularFile()) {
      return null;
    }
    if (a.isDirectory()) {
      return "is a directory";
    }
    return "not a regular file (" + kind(file) + ")";
  }

  /** "a FIFO", "a character device"...: from the Unix file mode where the platform has one. */
  private static String kind(Path file) {
    try {
      int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
      return switch (type) {
        case 0010000 -> "a named pipe";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "a special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file";
    }
  }

  /** The product of the dimensions, exactly (no overflow, whatever a header declares). */
  public static BigInteger product(int[] dims) {
    BigInteger p = BigInteger.ONE;
    for (int d : dims) {
      p = p.multiply(BigInteger.valueOf(d));
    }
    return p;
  }

  /**
   * Refuses an array of {@code bytes} (one per element) larger than {@link #MAX_DATA_BYTES} or than
   * half the memory Java has left; {@code declared} says where the size comes from ("dimensions
   * [...] need N data bytes") and starts the message.
   */
  public static void requireFits(Path source, String declared, BigInteger bytes) {
    if (bytes.compareTo(BigInteger.valueOf(MAX_DATA_BYTES)) > 0) {
      throw BadInputException.of(
          source,
          declared + ", more than a data file may hold (" + MAX_DATA_BYTES + " bytes, 128 MiB)");
    }
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (bytes.longValueExact() > free / 2) {
      throw BadInputException.of(
          source,
          declared
              + ", more than half the "
              + (free >> 20)
              + " MiB of memory Java has left (raise -Xmx in TF_MNIST_JAVA_OPTS)");
    }
  }

  /**
   * Up to {@code n} bytes of {@code in}, fewer only at its end. The array of {@code n} bytes is
   * allocated only once the first {@value #FIRST_STEP} bytes have come, so a short stream (a
   * truncated gzip that declares a large array) costs what it holds.
   */
  public static byte[] readUpTo(InputStream in, int n) throws IOException {
    byte[] first = in.readNBytes(Math.min(n, FIRST_STEP));
    if (first.length < FIRST_STEP || first.length == n) {
      return first;
    }
    byte[] all = new byte[n];
    System.arraycopy(first, 0, all, 0, first.length);
    int got = first.length + in.readNBytes(all, first.length, n - first.length);
    return got == n ? all : Arrays.copyOf(all, got);
  }

  /** True when {@code in} has no byte left. */
  public static boolean atEnd(InputStream in) throws IOException {
    return in.read() < 0;
  }
}
