package org.tfmnist.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Strict reader for Keras' {@code mnist.npz}: a zip of four NumPy {@code .npy} arrays {@code
 * x_train}, {@code y_train}, {@code x_test}, {@code y_test}, all unsigned bytes in C order.
 */
public final class Npz {

  private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npz() {}

  /** The train and test splits of a Keras-style MNIST npz. */
  public record Splits(LabeledImages train, LabeledImages test) {}

  public static Splits readMnist(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      LabeledImages train = split(file, zip, "x_train", "y_train");
      LabeledImages test = split(file, zip, "x_test", "y_test");
      return new Splits(train, test);
    } catch (NoSuchFileException e) {
      throw DataException.of(file, "no such file");
    } catch (ZipException e) {
      throw DataException.of(file, "not an npz (zip) archive: " + e.getMessage());
    } catch (IOException e) {
      throw DataException.of(file, "cannot read: " + DataException.reason(e));
    }
  }

  private static LabeledImages split(Path file, ZipFile zip, String x, String y)
      throws IOException {
    Idx.Array images = array(file, zip, x);
    Idx.Array labels = array(file, zip, y);
    if (images.dims().length != 3) {
      throw DataException.of(
          file,
          x + " has shape " + Arrays.toString(images.dims()) + ", expected (count, rows, cols)");
    }
    if (labels.dims().length != 1) {
      throw DataException.of(
          file, y + " has shape " + Arrays.toString(labels.dims()) + ", expected (count,)");
    }
    return Idx.validated(
        Path.of(file + ":" + y),
        images.data(),
        labels.data(),
        images.dim(0),
        images.dim(1),
        images.dim(2),
        labels.dim(0));
  }

  private static Idx.Array array(Path file, ZipFile zip, String name) throws IOException {
    ZipEntry entry = zip.getEntry(name + ".npy");
    if (entry == null) {
      throw DataException.of(file, "no array '" + name + "' in the archive");
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (ZipException e) {
      throw DataException.of(file, "corrupt entry " + name + ".npy: " + e.getMessage());
    }
    return parseNpy(Path.of(file + ":" + name + ".npy"), bytes);
  }

  /** Parses one {@code .npy} array of unsigned bytes. */
  public static Idx.Array parseNpy(Path source, byte[] bytes) {
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), NPY_MAGIC)) {
      throw DataException.of(source, "not a .npy array (bad magic)");
    }
    int major = bytes[6] & 0xff;
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = buf.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw DataException.of(source, "truncated .npy header");
      }
      headerLen = buf.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw DataException.of(source, ".npy format version " + major + " is not supported");
    }
    if (headerStart + headerLen > bytes.length) {
      throw DataException.of(source, "truncated .npy header");
    }
    String header =
        new String(bytes, headerStart, (int) headerLen, StandardCharsets.ISO_8859_1).trim();
    String descr = find(source, DESCR, header, "descr");
    if (!descr.equals("|u1")
        && !descr.equals("<u1")
        && !descr.equals("u1")
        && !descr.equals(">u1")) {
      throw DataException.of(source, "dtype '" + descr + "' is not uint8 ('|u1')");
    }
    if (find(source, FORTRAN, header, "fortran_order").equals("True")) {
      throw DataException.of(source, "Fortran-ordered arrays are not supported");
    }
    String shapeText = find(source, SHAPE, header, "shape");
    int[] dims =
        Arrays.stream(shapeText.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .mapToInt(s -> parseDim(source, s))
            .toArray();
    long expected = 1;
    for (int d : dims) {
      expected *= d;
    }
    long dataStart = headerStart + headerLen;
    long actual = bytes.length - dataStart;
    if (actual != expected) {
      throw DataException.of(
          source,
          (actual < expected ? "truncated: " : "")
              + "shape "
              + Arrays.toString(dims)
              + " needs "
              + expected
              + " bytes, the array has "
              + actual);
    }
    return new Idx.Array(dims, Arrays.copyOfRange(bytes, (int) dataStart, bytes.length));
  }

  private static int parseDim(Path source, String s) {
    try {
      int d = Integer.parseInt(s);
      if (d < 0) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw DataException.of(source, "bad dimension '" + s + "' in the .npy shape");
    }
  }

  private static String find(Path source, Pattern p, String header, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw DataException.of(source, ".npy header has no '" + key + "': " + header);
    }
    return m.group(1);
  }
}
