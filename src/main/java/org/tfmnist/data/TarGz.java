package org.tfmnist.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Reads the regular files of a gzip-compressed ustar archive (an npm package tarball). Only what an
 * npm tarball uses: regular files, pax/GNU long-name headers skipped, names from the ustar prefix
 * and name fields. Kept here (about 60 lines) rather than adding commons-compress and its three
 * transitive dependencies for one read of one archive.
 */
final class TarGz {

  private TarGz() {}

  /** The contents of the archive's regular files whose names match {@code wanted}. */
  static Map<String, byte[]> read(String source, byte[] tgz, Predicate<String> wanted)
      throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz), 1 << 16)) {
      byte[] header = new byte[512];
      while (true) {
        if (!readFully(in, header)) {
          break;
        }
        if (isZeroBlock(header)) {
          break;
        }
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size = octal(source, header, 124, 12);
        char type = (char) header[156];
        long padded = (size + 511) / 512 * 512;
        boolean regular = type == '0' || type == 0;
        if (regular && wanted.test(name)) {
          // an entry's size comes from its header: capped, and memory taken as the bytes come
          if (size > DataFiles.MAX_DATA_BYTES + 64) {
            throw new BadInputException(
                source
                    + ": archive entry "
                    + name
                    + " declares "
                    + size
                    + " bytes, more than a data file may hold");
          }
          byte[] data = DataFiles.readUpTo(in, (int) size);
          if (data.length < size) {
            throw new BadInputException(source + ": truncated archive (in " + name + ")");
          }
          out.put(name, data);
          in.skipNBytes(padded - size);
        } else {
          in.skipNBytes(padded);
        }
      }
    } catch (EOFException e) {
      throw new BadInputException(source + ": truncated archive");
    }
    return out;
  }

  private static boolean readFully(InputStream in, byte[] buf) throws IOException {
    int off = 0;
    while (off < buf.length) {
      int n = in.read(buf, off, buf.length - off);
      if (n < 0) {
        if (off == 0) {
          return false;
        }
        throw new EOFException();
      }
      off += n;
    }
    return true;
  }

  private static boolean isZeroBlock(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(String source, byte[] h, int off, int len) {
    String s = field(h, off, len).trim();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new BadInputException(source + ": corrupt tar header (size '" + s + "')");
    }
  }
}
