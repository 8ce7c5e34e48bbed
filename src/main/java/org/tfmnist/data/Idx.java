package org.tfmnist.data;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Strict reader and writer for Yann LeCun's IDX format (raw, or gzip-compressed: detected by the
 * gzip magic, not the file name).
 *
 * <p>Layout: two zero bytes, a type code (0x08 = unsigned byte, the only one MNIST uses), the
 * number of dimensions, then each dimension as a big-endian int32, then the data. Every deviation
 * (wrong magic, another type code, dimensions that disagree with the file's size, truncation) is a
 * {@link DataException} naming the file.
 */
public final class Idx {

  public static final int UBYTE = 0x08;
  private static final int MAX_DECOMPRESSED = 1 << 30;

  private Idx() {}

  /** A decoded IDX array of unsigned bytes. */
  public record Array(int[] dims, byte[] data) {
    public int dim(int i) {
      return dims[i];
    }
  }

  /** Reads and validates an IDX file of unsigned bytes. */
  public static Array read(Path file) {
    byte[] bytes = readMaybeGzip(file);
    return parse(file, bytes);
  }

  /** Parses IDX bytes; {@code file} only names the source in errors. */
  public static Array parse(Path file, byte[] bytes) {
    if (bytes.length < 4) {
      throw DataException.of(file, "not an IDX file: only " + bytes.length + " bytes");
    }
    if (bytes[0] != 0 || bytes[1] != 0) {
      throw DataException.of(
          file,
          String.format(
              "not an IDX file: magic starts 0x%02x%02x, expected 0x0000", bytes[0], bytes[1]));
    }
    int type = bytes[2] & 0xff;
    if (type != UBYTE) {
      throw DataException.of(
          file,
          String.format(
              "IDX type code 0x%02x (%s) is not supported: MNIST files hold unsigned bytes (0x08)",
              type, typeName(type)));
    }
    int rank = bytes[3] & 0xff;
    if (rank < 1 || rank > 4) {
      throw DataException.of(file, "IDX rank " + rank + " is not 1-4");
    }
    int header = 4 + 4 * rank;
    if (bytes.length < header) {
      throw DataException.of(
          file, "truncated IDX header: " + bytes.length + " bytes, the header needs " + header);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    int[] dims = new int[rank];
    long expected = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = buf.getInt(4 + 4 * i);
      if (dims[i] < 0) {
        throw DataException.of(file, "IDX dimension " + i + " is negative (" + dims[i] + ")");
      }
      expected *= dims[i];
    }
    long actual = bytes.length - header;
    if (actual < expected) {
      throw DataException.of(
          file,
          "truncated: dimensions "
              + Arrays.toString(dims)
              + " need "
              + expected
              + " data bytes, the file has "
              + actual);
    }
    if (actual > expected) {
      throw DataException.of(
          file,
          "dimensions "
              + Arrays.toString(dims)
              + " need "
              + expected
              + " data bytes, the file has "
              + actual
              + " ("
              + (actual - expected)
              + " extra)");
    }
    return new Array(dims, Arrays.copyOfRange(bytes, header, bytes.length));
  }

  /** IDX bytes for an unsigned-byte array (what {@link #parse} reads back). */
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
      throw DataException.of(
          imagesFile,
          "an images file has 3 dimensions (count, rows, cols), this one has "
              + images.dims().length);
    }
    if (labels.dims().length != 1) {
      throw DataException.of(
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
      throw DataException.of(
          labelsSource, nLabels + " labels for " + count + " images: the counts must be equal");
    }
    for (int i = 0; i < labels.length; i++) {
      int l = labels[i] & 0xff;
      if (l > 9) {
        throw DataException.of(labelsSource, "label " + l + " at index " + i + " is outside 0-9");
      }
    }
    return new LabeledImages(pixels, labels, count, rows, cols);
  }

  /** The file's bytes, gunzipped if it starts with the gzip magic. */
  static byte[] readMaybeGzip(Path file) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw DataException.of(file, "no such file");
    } catch (IOException e) {
      throw DataException.of(file, "cannot read: " + DataException.reason(e));
    }
    return isGzip(raw) ? gunzip(file, raw) : raw;
  }

  /** True when the bytes start with the gzip magic 1f 8b. */
  static boolean isGzip(byte[] b) {
    return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
  }

  static byte[] gunzip(Path file, byte[] gz) {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz), 1 << 16)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(gz.length * 4);
      byte[] chunk = new byte[1 << 16];
      int n;
      while ((n = in.read(chunk)) > 0) {
        out.write(chunk, 0, n);
        if (out.size() > MAX_DECOMPRESSED) {
          throw DataException.of(file, "gzip data larger than 1 GiB: not an MNIST file");
        }
      }
      return out.toByteArray();
    } catch (EOFException e) {
      throw DataException.of(file, "truncated gzip stream");
    } catch (ZipException e) {
      throw DataException.of(file, "corrupt gzip stream (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw DataException.of(file, "cannot decompress: " + e.getMessage());
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
