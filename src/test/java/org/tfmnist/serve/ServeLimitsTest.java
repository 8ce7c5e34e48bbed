package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;

/**
 * The README's limits on what a client can hold: a request still unanswered when the grace period
 * of a shutdown is over is cut off (its connection closed, the cut counted in the log), and a
 * client that sends its request slower than the request timeout plus 5 s allows is disconnected.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ServeLimitsTest {

  @TempDir Path tmp;

  @Test
  void aRequestStillRunningAfterTheGracePeriodIsCutOff() throws Exception {
    TestModels.copy(TestModels.mlp(), tmp.resolve("models/mlp/1"));
    // a one-image request waits a minute for company: still in flight when the 1 s grace ends
    ServeConfig cfg =
        ServerFixture.with(
            ServerFixture.config(tmp.resolve("models")),
            Map.of(
                "graceMillis",
                1_000L,
                "batchTimeoutMicros",
                60_000_000L,
                "requestTimeoutMillis",
                120_000L));
    ServerFixture f = new ServerFixture(cfg);
    ModelVersion v = f.server.registry().live("mlp").get(0);
    assertTrue(v.acquire(), "version open");
    try {
      CompletableFuture<HttpResponse<String>> inFlight =
          ClaimSupport.postAsync(
              f,
              "/v1/models/mlp:predict",
              ServerFixture.instances(new float[][] {TestData.test().imageAsFloats(0)}),
              Duration.ofSeconds(30));
      Batcher queue = (Batcher) v.scheduler();
      ClaimSupport.waitFor("the request queued", () -> queue.queuedImages() == 1, f::log);
      CompletableFuture<Void> shutdown = CompletableFuture.runAsync(f.server::shutdown);
      shutdown.get(60, TimeUnit.SECONDS);
      assertTrue(
          f.log().contains("grace period over: 1 requests still in flight are cut"), f.log());
      ExecutionException cut =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> inFlight.get(60, TimeUnit.SECONDS),
              "the request was answered");
      // cut by the server (connection closed), not given up on by this client
      assertTrue(cut.getCause() instanceof IOException, cut.toString());
      assertFalse(cut.getCause() instanceof HttpTimeoutException, cut.toString());
    } finally {
      // a full batch runs at once, after the stranded request: no session run outlives this test
      v.scheduler().submit(new float[64 * 784], 64).get(60, TimeUnit.SECONDS);
      v.release();
      f.close();
    }
  }

  /**
   * In a process of its own: the JDK's HTTP server reads its request and response time limits once
   * per JVM, so a server started earlier in this JVM would have fixed them.
   */
  @Test
  void aSlowClientIsDisconnectedAfterTheRequestTimeoutPlusFiveSeconds() throws Exception {
    TestModels.copy(TestModels.mlp(), tmp.resolve("models/mlp/1"));
    ServeProcess serve =
        new ServeProcess(tmp.resolve("models"), "--poll-seconds", "0", "--request-timeout", "1");
    Process p = serve.process;
    try {
      URI url = serve.url(60);
      int port = url.getPort();
      String head =
          "POST /v1/models/mlp:predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\n";
      // one client stops in the middle of its headers, one in the middle of its body
      try (Socket headers = open(port);
          Socket body = open(port)) {
        long t0 = System.nanoTime();
        send(headers, head);
        send(body, head + "Content-Length: 1000\r\n\r\n{\"instances\": [");
        double headersGone = secondsUntilClosed(headers, t0);
        double bodyGone = secondsUntilClosed(body, t0);
        // --request-timeout 1 allows 6 s; the server checks once a second
        for (double s : new double[] {headersGone, bodyGone}) {
          assertTrue(s >= 5, "disconnected after " + s + " s, before the limit");
          assertTrue(s < 25, "disconnected after " + s + " s");
        }
      }
      // the server goes on serving
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> ok =
          http.send(
              HttpRequest.newBuilder(url.resolve("/v1/models/mlp:predict"))
                  .timeout(ClaimSupport.TIMEOUT)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          ServerFixture.instances(
                              new float[][] {TestData.test().imageAsFloats(0)})))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode(), ok.body());
      serve.terminate();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running: " + serve.output());
    } finally {
      serve.close();
    }
  }

  private static Socket open(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(40_000); // longer than the bound asserted: a socket never closed fails
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Seconds from {@code t0} until the server closes {@code s}, reading whatever it sends. */
  private static double secondsUntilClosed(Socket s, long t0) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // the server answers nothing; read until it closes
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close a slow client's connection in 40 s", e);
    } catch (SocketException e) {
      // reset: closed as well
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
