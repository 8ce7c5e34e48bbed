package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;

/**
 * Request bodies on a served MLP: gzip is decoded, a cut gzip body is a 400, another encoding a
 * 415; a body over the limit (16 MiB) is a 413 before it is all read, whether its Content-Length
 * announces it, it comes in chunks, or it only grows that large once decoded; after each the server
 * still serves.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BodyLimitTest {

  private static final int MIB = 1 << 20;

  @TempDir static Path tmp;
  static ServerFixture f;
  static String body;

  @BeforeAll
  static void start() throws IOException {
    Path models = tmp.resolve("models");
    TestModels.copy(TestModels.mlp(), models.resolve("mlp/1"));
    f = new ServerFixture(ServerFixture.config(models));
    body = ServerFixture.instances(new float[][] {TestData.test().imageAsFloats(1)});
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void gzipIsDecodedAndOtherEncodingsRefused() throws IOException {
    byte[] whole = gzip(body.getBytes(StandardCharsets.UTF_8));
    ServerFixture.Reply gz =
        f.post("/v1/models/mlp:predict", whole, "application/json", "Content-Encoding", "gzip");
    assertEquals(200, gz.status(), gz.body());
    ServerFixture.Reply cut =
        f.post(
            "/v1/models/mlp:predict",
            Arrays.copyOf(whole, whole.length / 2),
            "application/json",
            "Content-Encoding",
            "gzip");
    assertEquals(400, cut.status(), cut.body());
    assertTrue(cut.error().contains("gzip body is truncated"), cut.body());
    ServerFixture.Reply br =
        f.post("/v1/models/mlp:predict", whole, "application/json", "Content-Encoding", "br");
    assertEquals(415, br.status(), br.body());
    assertStillServing();
  }

  @Test
  void aGzipBodyIsLimitedOnceDecoded() throws IOException {
    // 10^6 instances: 1.6 GB of JSON in a 5 MB gzip body; refused once 16 MiB are decoded
    byte[] million = millionZeroImagesGzipped();
    assertTrue(million.length < 16 * MIB);
    ServerFixture.Reply bomb =
        f.post("/v1/models/mlp:predict", million, "application/json", "Content-Encoding", "gzip");
    assertEquals(413, bomb.status(), bomb.body());
    assertTrue(bomb.error().contains("larger than this server's limit of 16 MiB"), bomb.body());
    assertStillServing();
  }

  @Test
  void aBodyAnnouncedOverTheLimitIsRefusedBeforeItIsSent() throws IOException {
    // 50 MB announced, at most 1 MiB sent: a server that read the body before refusing it would
    // still be waiting for the rest, and the read below would time out
    try (RawHttp c = new RawHttp(f.server.url().getPort())) {
      c.head(
          "POST",
          "/v1/models/mlp:predict",
          "Content-Type",
          "application/json",
          "Content-Length",
          "50000000");
      sendUntilAnswered(c, MIB, false);
      RawHttp.Response r = c.read();
      assertEquals(413, r.status(), r.toString());
      assertEquals(
          "{\"error\": \"the request body (50000000 bytes) is larger than "
              + "this server's limit of 16 MiB\"}",
          r.body().trim());
    }
    assertStillServing();
  }

  @Test
  void aChunkedBodyIsRefusedOnceOverTheLimit() throws IOException {
    // no length announced: the server must stop reading past 16 MiB, not take all 64
    try (RawHttp c = new RawHttp(f.server.url().getPort())) {
      c.head(
          "POST",
          "/v1/models/mlp:predict",
          "Content-Type",
          "application/json",
          "Transfer-Encoding",
          "chunked");
      sendUntilAnswered(c, 64 * MIB, true);
      RawHttp.Response r = c.read();
      assertEquals(413, r.status(), r.toString());
      assertTrue(
          r.body().contains("the request body (more than 16777216 bytes) is larger than"),
          r.body());
    }
    assertStillServing();
  }

  /**
   * Sends up to {@code limit} bytes of body (spaces, valid JSON padding) in 64 KiB pieces, stopping
   * as soon as an answer has arrived or the server has closed the connection.
   */
  private static void sendUntilAnswered(RawHttp c, int limit, boolean chunked) throws IOException {
    byte[] piece = new byte[64 << 10];
    Arrays.fill(piece, (byte) ' ');
    byte[] chunkHead =
        (Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
    try {
      for (int sent = 0; sent < limit && c.in.available() == 0; sent += piece.length) {
        if (chunked) {
          c.out.write(chunkHead);
        }
        c.out.write(piece);
        if (chunked) {
          c.out.write(crlf);
        }
        c.out.flush();
      }
    } catch (IOException e) {
      // the server answered and closed the connection: its answer is read next
    }
  }

  private static void assertStillServing() {
    ServerFixture.Reply r = f.post("/v1/models/mlp:predict", body);
    assertEquals(200, r.status(), r.body());
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(b)) {
      g.write(data);
    }
    return b.toByteArray();
  }

  private static byte[] millionZeroImagesGzipped() throws IOException {
    StringBuilder image = new StringBuilder("[");
    for (int y = 0; y < 28; y++) {
      image.append(y > 0 ? "," : "").append("[0");
      image.append(",0".repeat(27)).append(']');
    }
    byte[] one = image.append("]").toString().getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(b, 1 << 16)) {
      g.write("{\"instances\": [".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 1_000_000; i++) {
        if (i > 0) {
          g.write(',');
        }
        g.write(one);
      }
      g.write("]}".getBytes(StandardCharsets.US_ASCII));
    }
    return b.toByteArray();
  }
}
