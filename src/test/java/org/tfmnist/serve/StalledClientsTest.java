package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;

/**
 * Clients that stall their requests hold no request thread: with 1,000 connections stopped in the
 * middle of their headers, 300 that announced a body and sent none and 10 stopped in the middle of
 * their body, a new client's {@code :predict} is answered at once, and every stalled connection is
 * closed once it has been silent for the idle timeout. In a process of its own, as served.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StalledClientsTest {

  private static final int IDLE_SECONDS = 3;
  private static final String HEAD =
      "POST /v1/models/mlp:predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\n";

  @TempDir Path tmp;

  @Test
  void stalledClientsHoldNoThreadAndAreClosedAfterTheIdleTimeout() throws Exception {
    TestModels.copy(TestModels.mlp(), tmp.resolve("models/mlp/1"));
    ServeProcess serve =
        new ServeProcess(
            tmp.resolve("models"),
            "--poll-seconds",
            "0",
            "--idle-timeout",
            Integer.toString(IDLE_SECONDS));
    List<Socket> stalled = new ArrayList<>();
    try {
      URI url = serve.url(60);
      HttpRequest predict =
          HttpRequest.newBuilder(url.resolve("/v1/models/mlp:predict"))
              .timeout(Duration.ofSeconds(10))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      ServerFixture.instances(new float[][] {TestData.test().imageAsFloats(0)})))
              .build();
      assertEquals(
          200, newClient().send(predict, HttpResponse.BodyHandlers.ofString()).statusCode());

      long opened = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        stalled.add(open(url.getPort(), HEAD));
      }
      for (int i = 0; i < 300; i++) {
        stalled.add(open(url.getPort(), HEAD + "Content-Length: 100\r\n\r\n"));
      }
      for (int i = 0; i < 10; i++) {
        stalled.add(open(url.getPort(), HEAD + "Content-Length: 100\r\n\r\n{\"instances\": ["));
      }
      long lastOpened = System.nanoTime();

      // a new client (a new connection) each time, while every stalled one is open
      double worst = 0;
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = newClient().send(predict, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        assertEquals(200, r.statusCode(), r.body());
        worst = Math.max(worst, ms);
      }
      System.out.printf(
          Locale.ROOT,
          "%d stalled connections open: a new client's :predict answered in at most %.1f ms%n",
          stalled.size(),
          worst);
      // 100 ms on an idle machine; a generous bound for a loaded one, still far below a server
      // whose request threads are all taken (no answer at all)
      assertTrue(worst < 2000, "a :predict took " + worst + " ms");

      double first = Double.MAX_VALUE;
      double last = 0;
      for (Socket s : stalled) {
        double gone = secondsUntilClosed(s, opened);
        first = Math.min(first, gone);
        last = Math.max(last, gone);
      }
      double spread = (lastOpened - opened) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "idle timeout %d s: stalled connections closed %.1f to %.1f s after the first was opened"
              + " (opening them took %.1f s)%n",
          IDLE_SECONDS,
          first,
          last,
          spread);
      assertTrue(first >= IDLE_SECONDS * 0.5, "closed after " + first + " s, before the limit");
      assertTrue(last < spread + IDLE_SECONDS + 15, "closed after " + last + " s");

      assertEquals(
          200, newClient().send(predict, HttpResponse.BodyHandlers.ofString()).statusCode());
      assertFalse(serve.output().contains("SLF4J"), serve.output());
      assertFalse(serve.output().contains("Exception"), serve.output());
      serve.terminate();
      assertTrue(serve.process.waitFor(30, TimeUnit.SECONDS), "still running: " + serve.output());
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
      serve.close();
    }
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /** A connection that has sent {@code text} and then nothing more. */
  private static Socket open(int port, String text) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(60_000); // longer than any bound asserted: a socket never closed fails
      s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Seconds from {@code t0} until the server closes {@code s}, reading whatever it sends. */
  private static double secondsUntilClosed(Socket s, long t0) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // a 408 may come first; read until the server closes
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close a stalled connection in 60 s", e);
    } catch (SocketException e) {
      // reset: closed as well
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
