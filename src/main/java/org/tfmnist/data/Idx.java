package org.tfmnist.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.tfmnist.util.ErrorReason;

/**
 * Strict reader and writer for Yann LeCun's IDX format (raw, or gzip-compressed: detected by the
 * gzip magic, not the file name).
 *
 * <p>Layout: two zero bytes, a type code (0x08 = unsigned byte, the only one MNIST uses), the
 * number of dimensions, then each dimension as a big-endian int32, then the data. Every deviation
 * (wrong magic, another type code, dimensions that disagree with the file's size, truncation) is a
 * {@link BadInputException} naming the file.
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class Idx {

  public static final int UBYTE = 0x08;

  private Idx() {}

  /** A decoded IDX array of unsigned bytes. */
  public record Array(int[] dims, byte[] data) {
    public int dim(int i) {
      return dims[i];
    }
  }

  /**
   * Reads and validates an IDX file of unsigned bytes. The header is read first: dimensions that
   * disagree with the file's size, or that declare more than {@link DataFiles#MAX_DATA_BYTES}, are
   * refused before the data is read; gzip is decompressed as a stream, never past those dimensions.
   */
  public static Array read(Path file) {
    DataFiles.requireRegular(file);
    try (InputStream f = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      f.mark(2);
      boolean gzip = f.read() == 0x1f && f.read() == 0x8b;
      f.reset();
      return gzip
          ? fromStream(file, new GZIPInputStream(f, 1 << 16), -1)
          : fromStream(file, f, Files.size(file));
    } catch (NoSuchFileException e) {
      throw BadInputException.of(file, "no such file");
    } catch (EOFException e) {
      throw BadInputException.of(file, "truncated gzip stream");
    } catch (ZipException e) {
      throw BadInputException.of(file, "corrupt gzip stream (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read: " + ErrorReason.of(e));
    }
  }

  /**
   * Reads an IDX array from {@code in}: {@code size} is the file's length, or -1 for a decompressed
   * stream (whose length is known only by reading it).
   */
  private static Array fromStream(Path file, InputStream in, long size) throws IOException {
    byte[] head = in.readNBytes(4);
    if (head.length < 4) {
      throw BadInputException.of(file, "not an IDX file: only " + head.length + " bytes");
    }
    if (head[0] != 0 || head[1] != 0) {
      throw BadInputException.of(
          file,
          String.format(
              "not an IDX file: magic starts 0x%02x%02x, expected 0x0000", head[0], head[1]));
    }
    int type = head[2] & 0xff;
    if (type != UBYTE) {
      throw BadInputException.of(
          file,
          String.format(
              "IDX type code 0x%02x (%s) is not supported: MNIST files hold unsigned bytes (0x08)",
              type, typeName(type)));
    }
    int rank = head[3] & 0xff;
    if (rank < 1 || rank > 4) {
      throw BadInputException.of(file, "IDX rank " + rank + " is not 1-4");
    }
    int header = 4 + 4 * rank;
    byte[] dimBytes = in.readNBytes(4 * rank);
    if (dimBytes.length < 4 * rank) {
      throw BadInputException.of(
          file,
          "truncated IDX header: " + (4 + dimBytes.length) + " bytes, the header needs " + header);
    }
    ByteBuffer buf = ByteBuffer.wrap(dimBytes);
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = buf.getInt(4 * i);
      if (dims[i] < 0) {
        throw BadInputException.of(file, "IDX dimension " + i + " is negative (" + dims[i] + ")");
      }
    }
    String need =
        "dimensions " + Arrays.toString(dims) + " need " + DataFiles.product(dims) + " data bytes";
    if (size >= 0) {
      BigInteger actual = BigInteger.valueOf(size - header);
      int c = actual.compareTo(DataFiles.product(dims));
      if (c < 0) {
        throw BadInputException.of(file, "truncated: " + need + ", the file has " + actual);
      }
      if (c > 0) {
        throw BadInputException.of(
            file,
            need
                + ", the file has "
                + actual
                + " ("
                + actual.subtract(DataFiles.product(dims))
                + " extra)");
      }
    }
    DataFiles.requireFits(file, need, DataFiles.product(dims));
    int n = DataFiles.product(dims).intValueExact();
    byte[] data = DataFiles.readUpTo(in, n);
    String has = size >= 0 ? "the file has " : "the decompressed data has ";
    if (data.length < n) {
      throw BadInputException.of(file, "truncated: " + need + ", " + has + data.length);
    }
    if (!DataFiles.atEnd(in)) {
      throw BadInputException.of(file, need + ", " + has + "more");
    }
    return new Array(dims, data);
  }

  /** IDX bytes for an unsigned-byte array (what {@link #read} reads back). */
  public static byte[] encode(int[] dims, byte[] data) {
    ByteBuffer buf = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    buf.put((byte) 0).put((byte) 0).put((byte) UBYTE).put((byte) dims.length);
    for (int d : dims) {
      buf.putInt(d);
    }
    buf.put(data);
    return buf.array();
  }

  /** Loads an images file (rank 3) and a labels file (rank 1) that belong together. */
  public static LabeledImages load(Path imagesFile, Path labelsFile) {
    Array images = read(imagesFile);
    Array labels = read(labelsFile);
    return combine(imagesFile, images, labelsFile, labels);
  }

  static LabeledImages combine(Path imagesFile, Array images, Path labelsFile, Array labels) {
    if (images.dims().length != 3) {
      throw BadInputException.of(
          imagesFile,
          "an images file has 3 dimensions (count, rows, cols), this one has "
              + images.dims().length);
    }
    if (labels.dims().length != 1) {
      throw BadInputException.of(
          labelsFile, "a labels file has 1 dimension, this one has " + labels.dims().length);
    }
    return validated(
        labelsFile,
        images.data(),
        labels.data(),
        images.dim(0),
        images.dim(1),
        images.dim(2),
        labels.dim(0));
  }

  /** Checks counts and label range, shared by the IDX and npz readers. */
  static LabeledImages validated(
      Path labelsSource, byte[] pixels, byte[] labels, int count, int rows, int cols, int nLabels) {
    if (nLabels != count) {
      throw BadInputException.of(
          labelsSource, nLabels + " labels for " + count + " images: the counts must be equal");
    }
    for (int i = 0; i < labels.length; i++) {
      int l = labels[i] & 0xff;
      if (l > 9) {
        throw BadInputException.of(
            labelsSource, "label " + l + " at index " + i + " is outside 0-9");
      }
    }
    return new LabeledImages(pixels, labels, count, rows, cols);
  }

  /** True when the bytes start with the gzip magic 1f 8b. */
  static boolean isGzip(byte[] b) {
    return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
  }

  /**
   * Decompresses gzip bytes (a downloaded data file) as a stream: more than an IDX file of {@link
   * DataFiles#MAX_DATA_BYTES} can hold is refused once that much has come, so a small gzip bomb
   * costs no more memory than the largest file it could honestly be.
   */
  static byte[] gunzip(Path file, byte[] gz) {
    int cap = (int) DataFiles.MAX_DATA_BYTES + 4 + 4 * 4;
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz), 1 << 16)) {
      byte[] out = DataFiles.readUpTo(in, cap);
      if (out.length == cap && !DataFiles.atEnd(in)) {
        throw BadInputException.of(
            file, "gzip data larger than " + cap + " bytes: not an MNIST-style data file");
      }
      return out;
    } catch (EOFException e) {
      throw BadInputException.of(file, "truncated gzip stream");
    } catch (ZipException e) {
      throw BadInputException.of(file, "corrupt gzip stream (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot decompress: " + e.getMessage());
    }
  }

  private static String typeName(int code) {
    return switch (code) {
      case 0x09 -> "signed byte";
      case 0x0B -> "int16";
      case 0x0C -> "int32";
      case 0x0D -> "float32";
      case 0x0E -> "float64";
      default -> "unknown";
    };
  }
}
