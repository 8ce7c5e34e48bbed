package org.tfmnist.serve;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first file of a {@code multipart/form-data} body (RFC 7578), as an HTML form or {@code curl
 * -F file=@digit.png} sends it: its bytes and file name. The body is already in memory (read whole
 * within the body limit), so a full streaming reader (Jetty's, or commons-fileupload with the
 * servlet API) would buy nothing here.
 */
final class Multipart {

  record Part(String fileName, byte[] data) {}

  private static final Pattern BOUNDARY =
      Pattern.compile("(?i)boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
  private static final Pattern FILENAME =
      Pattern.compile("(?i)filename=(?:\"([^\"]*)\"|([^;\\s]+))");

  private Multipart() {}

  static boolean is(String contentType) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  /** The first part that carries a file (else the first part). */
  static Part firstFile(String contentType, byte[] body) {
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      throw ServeException.badRequest("multipart/form-data without a boundary");
    }
    byte[] delimiter =
        ("--" + (m.group(1) != null ? m.group(1) : m.group(2)))
            .getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    Part first = null;
    while (at >= 0) {
      int lineEnd = at + delimiter.length;
      if (lineEnd + 1 < body.length && body[lineEnd] == '-' && body[lineEnd + 1] == '-') {
        break; // the closing delimiter
      }
      int headersStart = indexOf(body, new byte[] {'\r', '\n'}, lineEnd);
      int headersEnd =
          headersStart < 0 ? -1 : indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, headersStart);
      if (headersEnd < 0) {
        break;
      }
      String headers =
          new String(
              body,
              headersStart + 2,
              Math.max(0, headersEnd - headersStart - 2),
              StandardCharsets.UTF_8);
      int dataStart = headersEnd + 4;
      int next = indexOf(body, crlf(delimiter), dataStart);
      if (next < 0) {
        throw ServeException.badRequest(
            "multipart/form-data body is truncated (no closing " + "boundary)");
      }
      byte[] data = java.util.Arrays.copyOfRange(body, dataStart, next);
      Matcher f = FILENAME.matcher(headers);
      if (f.find()) {
        String name = f.group(1) != null ? f.group(1) : f.group(2);
        return new Part(name.isEmpty() ? "upload" : name, data);
      }
      if (first == null) {
        first = new Part("upload", data);
      }
      at = next + 2;
    }
    if (first == null) {
      throw ServeException.badRequest("multipart/form-data body holds no part");
    }
    return first;
  }

  private static byte[] crlf(byte[] delimiter) {
    byte[] d = new byte[delimiter.length + 2];
    d[0] = '\r';
    d[1] = '\n';
    System.arraycopy(delimiter, 0, d, 2, delimiter.length);
    return d;
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
