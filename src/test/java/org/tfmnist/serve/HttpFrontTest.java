package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the HTTP layer adds to the routes, on a listening server that serves no model (no TensorFlow
 * needed): HEAD answers without a body, preflights and refusals carry CORS, what Jetty refuses
 * itself is {@code {"error": ...}} too, a client that leaves mid-body is no longer in flight, and
 * bodies being read share one memory budget.
 */
@Timeout(30)
class HttpFrontTest {

  @TempDir Path tmp;

  private ServerFixture server(Map<String, Object> changes) throws IOException {
    Path models = Files.createDirectories(tmp.resolve("models"));
    return new ServerFixture(ServerFixture.with(ServerFixture.config(models), changes));
  }

  @Test
  void headAnswersTheStatusWithoutABody() throws Exception {
    try (ServerFixture f = server(Map.of());
        RawHttp c = new RawHttp(f.server.url().getPort())) {
      c.head("HEAD", "/healthz");
      RawHttp.Response r = c.read(); // a body would be read as the next status line
      assertEquals(200, r.status());
      assertEquals("", r.body());
      assertEquals(200, c.get("/healthz").status(), "the connection goes on");
    }
  }

  @Test
  void preflightsAndEarlyRefusalsCarryCors() throws Exception {
    try (ServerFixture f = server(Map.of("cors", true, "maxBodyBytes", 64L));
        RawHttp c = new RawHttp(f.server.url().getPort())) {
      c.head("OPTIONS", "/v1/models/mlp:predict");
      RawHttp.Response pre = c.read();
      assertEquals(204, pre.status());
      assertEquals("*", pre.header("Access-Control-Allow-Origin"));
      c.head("POST", "/v1/models/mlp:predict", "Content-Length", "1000");
      RawHttp.Response big = c.read();
      assertEquals(413, big.status(), big.body());
      assertEquals("*", big.header("Access-Control-Allow-Origin"));
      assertTrue(big.body().startsWith("{\"error\": \"the request body (1000 bytes)"), big.body());
    }
  }

  @Test
  void whatJettyRefusesItselfIsAJsonError() throws Exception {
    try (ServerFixture f = server(Map.of());
        RawHttp c = new RawHttp(f.server.url().getPort())) {
      c.write(
          "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response r = c.read();
      assertEquals(400, r.status(), r.body());
      assertEquals("application/json", r.header("Content-Type"));
      assertTrue(r.body().startsWith("{\"error\": "), r.body());
    }
  }

  @Test
  void aClientThatLeavesMidBodyIsNoLongerInFlight() throws Exception {
    try (ServerFixture f = server(Map.of())) {
      try (RawHttp c = new RawHttp(f.server.url().getPort());
          RawHttp other = new RawHttp(f.server.url().getPort())) {
        c.head("POST", "/v1/models/mlp:predict", "Content-Length", "100");
        c.write("{\"instances\"".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, other.get("/healthz").status());
        awaitInFlight(f, 1);
      }
      awaitInFlight(f, 0);
      assertEquals("", f.log(), "nothing logged for a client that went away");
    }
  }

  @Test
  void bodiesBeingReadShareOneMemoryBudgetAndGiveItBackWhenAnswered() throws Exception {
    try (ServerFixture f = server(Map.of("maxBodyBytes", 64L, "maxBodyMemory", 100L));
        RawHttp slow = new RawHttp(f.server.url().getPort())) {
      int port = f.server.url().getPort();
      slow.head("POST", "/v1/models/mlp:predict", "Content-Length", "60");
      awaitInFlight(f, 1);
      try (RawHttp next = new RawHttp(port)) {
        next.head("POST", "/v1/models/mlp:predict", "Content-Length", "60");
        RawHttp.Response refused = next.read();
        assertEquals(503, refused.status(), refused.body());
        assertTrue(
            refused.body().contains("the server is reading 60 bytes of request bodies"),
            refused.body());
      }
      try (RawHttp get = new RawHttp(port)) {
        assertEquals(200, get.get("/healthz").status(), "a request without a body passes");
      }
      slow.write(" ".repeat(60).getBytes(StandardCharsets.US_ASCII));
      assertEquals(404, slow.read().status(), "the slow body is answered (no such model)");
      try (RawHttp next = new RawHttp(port)) {
        next.head("POST", "/v1/models/mlp:predict", "Content-Length", "60");
        next.write(" ".repeat(60).getBytes(StandardCharsets.US_ASCII));
        assertEquals(404, next.read().status(), "its bytes were given back");
      }
    }
  }

  private static void awaitInFlight(ServerFixture f, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (f.server.inFlight() != n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(n, f.server.inFlight(), "requests in flight");
  }
}
