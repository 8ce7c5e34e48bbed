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
import org.tfmnist.util.ErrorReason;

/**
 * Strict reader for Keras' {@code mnist.npz}: a zip of four NumPy {@code .npy} arrays {@code
 * x_train}, {@code y_train}, {@code x_test}, {@code y_test}, all unsigned bytes in C order.
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class Npz {

  private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** NumPy writes headers of a few dozen bytes; a longer one is not an MNIST array. */
  private static final int MAX_HEADER = 1 << 16;

  private Npz() {}

  /** The train and test splits of a Keras-style MNIST npz. */
  public record Splits(LabeledImages train, LabeledImages test) {}

  /**
   * Reads the four arrays. Each {@code .npy} header is read first: a shape over {@link
   * DataFiles#MAX_DATA_BYTES} is refused before its data is inflated.
   */
  public static Splits readMnist(Path file) {
    DataFiles.requireRegular(file);
    try (ZipFile zip = new ZipFile(file.toFile())) {
      LabeledImages train = split(file, zip, "x_train", "y_train");
      LabeledImages test = split(file, zip, "x_test", "y_test");
      return new Splits(train, test);
    } catch (NoSuchFileException e) {
      throw BadInputException.of(file, "no such file");
    } catch (ZipException e) {
      throw BadInputException.of(file, "not an npz (zip) archive: " + e.getMessage());
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read: " + ErrorReason.of(e));
    }
  }

  private static LabeledImages split(Path file, ZipFile zip, String x, String y)
      throws IOException {
    Idx.Array images = array(file, zip, x);
    Idx.Array labels = array(file, zip, y);
    if (images.dims().length != 3) {
      throw BadInputException.of(
          file,
          x + " has shape " + Arrays.toString(images.dims()) + ", expected (count, rows, cols)");
    }
    if (labels.dims().length != 1) {
      throw BadInputException.of(
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
      throw BadInputException.of(file, "no array '" + name + "' in the archive");
    }
    Path source = Path.of(file + ":" + name + ".npy");
    try (InputStream in = zip.getInputStream(entry)) {
      return readNpy(source, in);
    } catch (ZipException e) {
      throw BadInputException.of(file, "corrupt entry " + name + ".npy: " + e.getMessage());
    }
  }

  /** Reads one {@code .npy} array of unsigned bytes from {@code in}, header first. */
  static Idx.Array readNpy(Path source, InputStream in) throws IOException {
    byte[] lead = in.readNBytes(8);
    if (lead.length < 8 || !Arrays.equals(Arrays.copyOf(lead, 6), NPY_MAGIC)) {
      throw BadInputException.of(source, "not a .npy array (bad magic)");
    }
    int major = lead[6] & 0xff;
    int lengthBytes;
    if (major == 1) {
      lengthBytes = 2;
    } else if (major == 2 || major == 3) {
      lengthBytes = 4;
    } else {
      throw BadInputException.of(source, ".npy format version " + major + " is not supported");
    }
    byte[] len = in.readNBytes(lengthBytes);
    if (len.length < lengthBytes) {
      throw BadInputException.of(source, "truncated .npy header");
    }
    ByteBuffer buf = ByteBuffer.wrap(Arrays.copyOf(len, 4)).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = buf.getInt(0) & 0xffffffffL;
    if (headerLen > MAX_HEADER) {
      throw BadInputException.of(
          source, ".npy header of " + headerLen + " bytes (at most " + MAX_HEADER + ")");
    }
    byte[] headerBytes = in.readNBytes((int) headerLen);
    if (headerBytes.length < headerLen) {
      throw BadInputException.of(source, "truncated .npy header");
    }
    String header = new String(headerBytes, StandardCharsets.ISO_8859_1).trim();
    String descr = find(source, DESCR, header, "descr");
    if (!descr.equals("|u1")
        && !descr.equals("<u1")
        && !descr.equals("u1")
        && !descr.equals(">u1")) {
      throw BadInputException.of(source, "dtype '" + descr + "' is not uint8 ('|u1')");
    }
    if (find(source, FORTRAN, header, "fortran_order").equals("True")) {
      throw BadInputException.of(source, "Fortran-ordered arrays are not supported");
    }
    String shapeText = find(source, SHAPE, header, "shape");
    int[] dims =
        Arrays.stream(shapeText.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .mapToInt(s -> parseDim(source, s))
            .toArray();
    String need = "shape " + Arrays.toString(dims) + " needs " + DataFiles.product(dims) + " bytes";
    DataFiles.requireFits(source, need, DataFiles.product(dims));
    int n = DataFiles.product(dims).intValueExact();
    byte[] data = DataFiles.readUpTo(in, n);
    if (data.length < n) {
      throw BadInputException.of(source, "truncated: " + need + ", the array has " + data.length);
    }
    if (!DataFiles.atEnd(in)) {
      throw BadInputException.of(source, need + ", the array has more");
    }
    return new Idx.Array(dims, data);
  }

  private static int parseDim(Path source, String s) {
    try {
      int d = Integer.parseInt(s);
      if (d < 0) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw BadInputException.of(source, "bad dimension '" + s + "' in the .npy shape");
    }
  }

  private static String find(Path source, Pattern p, String header, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw BadInputException.of(source, ".npy header has no '" + key + "': " + header);
    }
    return m.group(1);
  }
}
