package org.tfmnist.serve;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Request bodies, read with a limit: a body (or its gzip-decoded content: a small gzip can hold
 * gigabytes of zeros) larger than the limit is refused ({@code TOO_LARGE}) before it is all in
 * memory; a truncated or corrupt gzip body is a bad request; encodings other than gzip are refused
 * ({@code UNSUPPORTED_ENCODING}).
 */
final class Bodies {

  private Bodies() {}

  /**
   * The body of {@code r}, gzip-decoded if it says so, each within {@code limit} bytes. The HTTP
   * layer has already refused a longer body as it arrived; checking again keeps this the one place
   * that says what is too large.
   */
  static byte[] read(Request r, long limit) {
    checkLength(r.header("Content-Length"), limit);
    byte[] raw = r.body();
    if (raw.length > limit) {
      throw tooLarge(limit);
    }
    String encoding = r.header("Content-Encoding");
    if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
      return raw;
    }
    if (!encoding.trim().toLowerCase(Locale.ROOT).matches("x-gzip|gzip")) {
      throw new ServeException(
          ServeException.Reason.UNSUPPORTED_ENCODING,
          "Content-Encoding '" + encoding + "' is not supported (send gzip or no encoding)");
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 8192)) {
      return readAtMost(in, limit, "the gzip-decoded request body");
    } catch (EOFException e) {
      throw ServeException.badRequest("Malformed request: the gzip body is truncated");
    } catch (ZipException e) {
      throw ServeException.badRequest(
          "Malformed request: the gzip body is corrupt (" + e.getMessage() + ")");
    } catch (IOException e) {
      // the bytes are in memory: only the gzip format itself can fail
      throw ServeException.badRequest(
          "Malformed request: the gzip body cannot be decoded (" + e.getMessage() + ")");
    }
  }

  /**
   * A malformed Content-Length is a bad request, one above {@code limit} too large; null passes.
   */
  static void checkLength(String length, long limit) {
    if (length == null) {
      return;
    }
    long n;
    try {
      n = Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      throw ServeException.badRequest("Malformed request: Content-Length '" + length + "'");
    }
    if (n > limit) {
      throw tooLarge(n + " bytes", limit, "the request body");
    }
  }

  /** The refusal of a body that turned out longer than {@code limit} as it arrived. */
  static ServeException tooLarge(long limit) {
    return tooLarge("more than " + limit + " bytes", limit, "the request body");
  }

  private static byte[] readAtMost(InputStream in, long limit, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[16384];
    long total = 0;
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      total += n;
      if (total > limit) {
        throw tooLarge("more than " + limit + " bytes", limit, what);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static ServeException tooLarge(String size, long limit, String what) {
    return ServeException.tooLarge(
        what + " (" + size + ") is larger than this server's limit of " + sizeText(limit));
  }

  static String sizeText(long bytes) {
    if (bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }
}
