package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Request bodies read with a limit: on the announced length, the bytes actually sent and the
 * gzip-decoded content (a small gzip can hold gigabytes), each over the limit a 413; gzip decoded;
 * a broken gzip a 400; other encodings a 415.
 */
@Timeout(30)
class BodiesTest {

  private static final int LIMIT = 1000;

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] read(byte[] body, long limit, String... headers) throws IOException {
    return Bodies.read(FakeRequest.of("POST", "/v1/models/m:predict", body, headers), limit);
  }

  @ParameterizedTest(name = "[{index}] {0} bytes, Content-Length {1}, encoding {2}")
  @CsvSource(
      nullValues = "null",
      textBlock =
          """
          0,    null, null
          1,    1,    null
          999,  999,  null
          1000, 1000, null
          1000, null, null
          500,  500,  identity
          500,  500,  ' IDENTITY '
          500,  500,  ' '
          """)
  void bodiesUpToTheLimitAreReadWhole(int size, String length, String encoding) throws IOException {
    byte[] body = bytes(size, 7);
    String[] h = headers(length, encoding);
    assertArrayEquals(body, read(body, LIMIT, h));
  }

  @ParameterizedTest(name = "[{index}] {0} decoded bytes, Content-Encoding {1}")
  @CsvSource({"0, gzip", "1, gzip", "1000, gzip", "1000, x-gzip", "700, GZip", "700, ' gzip '"})
  void gzipBodiesAreDecoded(int size, String encoding) throws IOException {
    byte[] body = bytes(size, 3);
    byte[] z = gzip(body);
    assertArrayEquals(
        body, read(z, LIMIT, "Content-Encoding", encoding, "Content-Length", "" + z.length));
  }

  /** Each limit is a 413 in TF Serving's code, naming what was too large. */
  @ParameterizedTest(name = "[{index}] {0} bytes sent, Content-Length {1}, {2}")
  @CsvSource(
      nullValues = "null",
      delimiter = '|',
      textBlock =
          """
          1001 | 1001       | null | the request body (1001 bytes) is larger than this server's limit of 1000 bytes
          10   | 5000000000 | null | the request body (5000000000 bytes) is larger than this server's limit of 1000 bytes
          1001 | null       | null | the request body (more than 1000 bytes) is larger than this server's limit of 1000 bytes
          1001 | 10         | null | the request body (more than 1000 bytes) is larger than this server's limit of 1000 bytes
          1001 | 1001       | gzip | the request body (1001 bytes) is larger than this server's limit of 1000 bytes
          """)
  void tooLargeBodiesAre413(int size, String length, String encoding, String message) {
    byte[] body = bytes(size, 1);
    ServeException e =
        assertThrows(ServeException.class, () -> read(body, LIMIT, headers(length, encoding)));
    assertEquals(413, HttpStatus.of(e.reason()), e.getMessage());
    assertEquals("RESOURCE_EXHAUSTED", e.code());
    assertEquals(message, e.getMessage());
  }

  @Test
  void aGzipBombIsRefusedOnItsDecodedSize() {
    byte[] bomb = gzip(new byte[64 << 20]); // 64 MiB of zeros in about 64 KiB
    long limit = 1 << 20;
    ServeException e =
        assertThrows(
            ServeException.class,
            () ->
                read(bomb, limit, "Content-Encoding", "gzip", "Content-Length", "" + bomb.length));
    assertEquals(413, HttpStatus.of(e.reason()));
    assertEquals(
        "the gzip-decoded request body (more than 1048576 bytes) is larger than this server's"
            + " limit of 1 MiB",
        e.getMessage());
  }

  @Test
  void decodedOneByteOverTheLimitIs413() {
    byte[] z = gzip(bytes(LIMIT + 1, 5));
    ServeException e =
        assertThrows(ServeException.class, () -> read(z, LIMIT, "Content-Encoding", "gzip"));
    assertEquals(413, HttpStatus.of(e.reason()), e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          truncated  | 400 | Malformed request: the gzip body is truncated
          not gzip   | 400 | Malformed request: the gzip body is corrupt (Not in GZIP format)
          bad crc    | 400 | Malformed request: the gzip body is corrupt (Corrupt GZIP trailer)
          """)
  void brokenGzipIs400(String kind, int status, String message) {
    byte[] z = gzip(bytes(500, 9));
    byte[] body =
        switch (kind) {
          case "truncated" -> Arrays.copyOf(z, z.length / 2);
          case "not gzip" -> "{\"instances\": []}".getBytes(StandardCharsets.UTF_8);
          default -> {
            byte[] c = z.clone();
            c[c.length - 8] ^= 1; // the CRC32 in the trailer
            yield c;
          }
        };
    ServeException e =
        assertThrows(ServeException.class, () -> read(body, LIMIT, "Content-Encoding", "gzip"));
    assertEquals(status, HttpStatus.of(e.reason()), e.getMessage());
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] Content-Encoding {0}")
  @CsvSource({"br", "deflate", "compress", "'gzip, br'", "gzip2", "zstd"})
  void otherEncodingsAre415(String encoding) {
    ServeException e =
        assertThrows(
            ServeException.class, () -> read(bytes(10, 0), LIMIT, "Content-Encoding", encoding));
    assertEquals(415, HttpStatus.of(e.reason()));
    assertEquals(
        "Content-Encoding '" + encoding + "' is not supported (send gzip or no encoding)",
        e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] Content-Length {0}")
  @CsvSource({"abc", "-", "1e3", "''", "9999999999999999999999"})
  void aMalformedContentLengthIs400(String length) {
    ServeException e =
        assertThrows(
            ServeException.class, () -> read(bytes(10, 0), LIMIT, "Content-Length", length));
    assertEquals(400, HttpStatus.of(e.reason()));
    assertEquals("Malformed request: Content-Length '" + length + "'", e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] {0} bytes is {1}")
  @CsvSource({
    "16777216, 16 MiB",
    "1048576, 1 MiB",
    "2048, 2 KiB",
    "1536, 1536 bytes",
    "1000, 1000 bytes"
  })
  void limitsAreNamedInTheLargestWholeUnit(long bytes, String text) {
    assertEquals(text, Bodies.sizeText(bytes));
  }

  private static String[] headers(String length, String encoding) {
    if (length == null && encoding == null) {
      return new String[0];
    }
    if (length == null) {
      return new String[] {"Content-Encoding", encoding};
    }
    if (encoding == null) {
      return new String[] {"Content-Length", length};
    }
    return new String[] {"Content-Length", length, "Content-Encoding", encoding};
  }
}
