package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The first file of a {@code multipart/form-data} body, as browsers and {@code curl -F} send it:
 * found after form fields, its bytes exact (CR, LF and dashes inside it included), its boundary
 * quoted or not; a body without boundary, parts or closing delimiter a 400.
 */
@Timeout(30)
class MultipartTest {

  /** A PNG-like payload holding the bytes a sloppy reader would cut at. */
  static final byte[] PICTURE = bytes("\u0089PNG\r\n\u001a\n--XYZ\r\n\r\n-- \r\r\n\n--XYZ-");

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A body of {@code parts}, each "headers" then data, with boundary {@code b}. */
  static byte[] body(String b, String preamble, Object... partHeadersAndData) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes(preamble));
    for (int i = 0; i < partHeadersAndData.length; i += 2) {
      out.writeBytes(bytes("--" + b + "\r\n" + partHeadersAndData[i] + "\r\n\r\n"));
      Object data = partHeadersAndData[i + 1];
      out.writeBytes(data instanceof byte[] d ? d : bytes((String) data));
      out.writeBytes(bytes("\r\n"));
    }
    out.writeBytes(bytes("--" + b + "--\r\n"));
    return out.toByteArray();
  }

  static String file(String name) {
    return "Content-Disposition: form-data; name=\"file\"; filename="
        + name
        + "\r\nContent-Type: image/png";
  }

  static final String FIELD = "Content-Disposition: form-data; name=\"note\"";

  static Stream<Arguments> found() {
    String t = "multipart/form-data; boundary=XYZ";
    return Stream.of(
        // content type, body, file name found, its bytes
        Arguments.of(t, body("XYZ", "", file("\"digit.png\""), PICTURE), "digit.png", PICTURE),
        Arguments.of(t, body("XYZ", "", file("digit.png"), PICTURE), "digit.png", PICTURE),
        Arguments.of(t, body("XYZ", "", file("\"\""), PICTURE), "upload", PICTURE),
        Arguments.of(t, body("XYZ", "", file("\"my digit.png\""), "7"), "my digit.png", bytes("7")),
        Arguments.of(t, body("XYZ", "", file("\"e.png\""), ""), "e.png", new byte[0]),
        // form fields before the file are passed over
        Arguments.of(
            t,
            body("XYZ", "", FIELD, "hello", FIELD, "", file("\"d.png\""), PICTURE),
            "d.png",
            PICTURE),
        // only fields: the first part, as the raw picture
        Arguments.of(t, body("XYZ", "", FIELD, "first", FIELD, "second"), "upload", bytes("first")),
        // a preamble before the first delimiter is ignored (RFC 2046)
        Arguments.of(
            t, body("XYZ", "This is a preamble.\r\n", file("a.png"), PICTURE), "a.png", PICTURE),
        Arguments.of(
            "multipart/form-data; boundary=\"q u;o=ted\"",
            body("q u;o=ted", "", file("q.png"), PICTURE),
            "q.png",
            PICTURE),
        Arguments.of(
            "Multipart/Form-Data; charset=utf-8; BOUNDARY=----WebKitFormBoundary7MA4YWxk",
            body("----WebKitFormBoundary7MA4YWxk", "", file("\"w.png\""), PICTURE),
            "w.png",
            PICTURE),
        Arguments.of(
            "multipart/form-data; boundary=XYZ; charset=utf-8",
            body("XYZ", "", file("x.png"), PICTURE),
            "x.png",
            PICTURE),
        Arguments.of(
            t,
            body("XYZ", "", "content-disposition: form-data; name=f; FILENAME=low.png", "1"),
            "low.png",
            bytes("1")),
        // a file of every byte value, and one larger than any buffer
        Arguments.of(t, body("XYZ", "", file("all.bin"), allBytes(256)), "all.bin", allBytes(256)),
        Arguments.of(
            t, body("XYZ", "", file("big.bin"), allBytes(1 << 20)), "big.bin", allBytes(1 << 20)));
  }

  static byte[] allBytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  @ParameterizedTest(name = "[{index}] {0} -> {2}")
  @MethodSource("found")
  void theFirstFileIsFoundWithItsExactBytes(
      String contentType, byte[] body, String name, byte[] data) {
    Multipart.Part p = Multipart.firstFile(contentType, body);
    assertEquals(name, p.fileName());
    assertArrayEquals(data, p.data(), "the part's bytes");
  }

  static Stream<Arguments> refused() {
    String t = "multipart/form-data; boundary=XYZ";
    byte[] good = body("XYZ", "", file("d.png"), PICTURE);
    byte[] unclosed = bytes("--XYZ\r\n" + file("d.png") + "\r\n\r\n" + "data without an end");
    return Stream.of(
        // content type, body, the 400's message
        Arguments.of("multipart/form-data", good, "multipart/form-data without a boundary"),
        Arguments.of("multipart/form-data; boundary=", good, "multipart/form-data without ..."),
        Arguments.of(
            "multipart/form-data; boundary=\"\"",
            good,
            // read as the two-character boundary "", which the body does not hold
            "multipart/form-data body holds no part"),
        Arguments.of(t, new byte[0], "multipart/form-data body holds no part"),
        Arguments.of(t, bytes("--XYZ--\r\n"), "multipart/form-data body holds no part"),
        Arguments.of(t, bytes("no delimiter at all"), "multipart/form-data body holds no part"),
        // another boundary than the header's
        Arguments.of(
            "multipart/form-data; boundary=ABC", good, "multipart/form-data body holds..."),
        // headers never end (no blank line)
        Arguments.of(t, bytes("--XYZ\r\n" + FIELD), "multipart/form-data body holds no part"),
        Arguments.of(t, bytes("--XYZ"), "multipart/form-data body holds no part"),
        // bare LF line ends are not multipart/form-data (RFC 7578 requires CRLF)
        Arguments.of(
            t,
            bytes("--XYZ\n" + FIELD + "\n\nx\n--XYZ--\n"),
            "multipart/form-data body holds no part"),
        Arguments.of(t, unclosed, "multipart/form-data body is truncated (no closing boundary)"),
        Arguments.of(
            t,
            java.util.Arrays.copyOf(good, good.length - 9),
            "multipart/form-data body is truncated (no closing boundary)"));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("refused")
  void brokenBodiesAre400(String contentType, byte[] body, String message) {
    ServeException e =
        assertThrows(ServeException.class, () -> Multipart.firstFile(contentType, body));
    assertEquals(400, HttpStatus.of(e.reason()), e.getMessage());
    if (message.endsWith("...")) {
      String start = message.substring(0, message.length() - 3);
      assertEquals(
          start, e.getMessage().substring(0, Math.min(start.length(), e.getMessage().length())));
    } else {
      assertEquals(message, e.getMessage());
    }
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      nullValues = "null",
      delimiter = '|',
      textBlock =
          """
          multipart/form-data; boundary=x | true
          Multipart/Form-Data             | true
          MULTIPART/FORM-DATA;boundary=x  | true
          multipart/mixed; boundary=x     | false
          image/png                       | false
          application/json                | false
          ''                              | false
          null                            | false
          """)
  void onlyFormDataIsMultipart(String contentType, boolean is) {
    assertEquals(is, Multipart.is(contentType));
  }

  @Test
  void searchingFindsTheFirstMatchFromTheStart() {
    byte[] hay = bytes("ab--X--X");
    assertEquals(2, Multipart.indexOf(hay, bytes("--X"), 0));
    assertEquals(5, Multipart.indexOf(hay, bytes("--X"), 3));
    assertEquals(-1, Multipart.indexOf(hay, bytes("--X"), 6));
    assertEquals(0, Multipart.indexOf(hay, bytes("ab"), -4));
    assertEquals(-1, Multipart.indexOf(bytes("--"), bytes("--X"), 0));
    assertEquals(5, Multipart.indexOf(hay, bytes("--X"), 5));
  }
}
