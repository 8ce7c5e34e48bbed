package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;

/**
 * {@code tf-mnist serve} as a process, sent SIGTERM while 8 requests are in flight: while it drains
 * them, {@code /readyz} answers 503, new connections are refused and every response says {@code
 * Connection: close}; every request in flight is answered 200; the process exits 0.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ShutdownTest {

  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

  @TempDir Path tmp;

  @Test
  void sigtermDrainsEveryRequestInFlightThenExitsZero() throws Exception {
    TestModels.copy(TestModels.mlp(), tmp.resolve("models/mlp/1"));
    ServeProcess serve =
        new ServeProcess(
            tmp.resolve("models"),
            // once their bodies are in, the requests also wait in the batching queue
            "--batch-timeout-micros",
            "2000000",
            // the test holds requests half-sent: the server must not drop them as slow meanwhile
            "--request-timeout",
            "120",
            "--grace-period",
            "60");
    Process p = serve.process;
    List<RawHttp> connections = new ArrayList<>();
    try {
      URI url = serve.url(60);
      long deadline;
      int port = url.getPort();

      // kept-alive connections, idle when the signal comes: the only way left to ask /readyz.
      // Two: a /readyz routed just before the drain began is answered 200 with Connection: close,
      // and the second then asks once the drain is known to have begun.
      RawHttp probe = open(connections, port);
      RawHttp spare = open(connections, port);
      assertEquals(200, probe.get("/readyz").status(), "ready before the signal");
      assertEquals(200, spare.get("/readyz").status(), "ready before the signal");

      // 8 requests in flight: each has sent its head and holds back its body. The server's
      // "100 Continue" says the request has been handed to a request thread.
      LabeledImages test = TestData.test();
      List<RawHttp> inFlight = new ArrayList<>();
      List<byte[]> bodies = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] body =
            ServerFixture.instances(new float[][] {test.imageAsFloats(i)})
                .getBytes(StandardCharsets.UTF_8);
        RawHttp c = open(connections, port);
        c.head(
            "POST",
            "/v1/models/mlp:predict",
            "Content-Type",
            "application/json",
            "Content-Length",
            Integer.toString(body.length),
            "Expect",
            "100-continue");
        inFlight.add(c);
        bodies.add(body);
      }
      for (RawHttp c : inFlight) {
        assertEquals(100, c.read().status(), "the request was not taken");
      }

      serve.terminate();

      // draining: not ready, and the answer tells the client to go
      RawHttp.Response ready = probe.get("/readyz");
      deadline = System.nanoTime() + DEADLINE_NANOS;
      // until the answer changes: a 200 that closes the connection ends the wait too
      while (ready.status() == 200
          && !"close".equals(ready.header("Connection"))
          && System.nanoTime() < deadline) {
        Thread.sleep(20); // the signal is still on its way
        ready = probe.get("/readyz");
      }
      if (ready.status() == 200) {
        ready = spare.get("/readyz");
      }
      assertEquals(503, ready.status(), "/readyz during the drain: " + ready);
      assertTrue(ready.body().contains("shutting down"), ready.body());
      assertEquals("close", ready.header("Connection"), "/readyz during the drain: " + ready);
      // the listening socket is closed at once, while the requests in flight keep the
      // process alive
      deadline = System.nanoTime() + DEADLINE_NANOS;
      while (accepts(port) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertFalse(accepts(port), "new connections accepted during the drain");
      assertTrue(p.isAlive(), "exited with requests in flight: " + serve.output());

      for (int i = 0; i < 8; i++) {
        RawHttp c = inFlight.get(i);
        c.write(bodies.get(i));
        RawHttp.Response r = c.read();
        assertEquals(200, r.status(), "request " + i + " in flight: " + r);
        assertEquals("close", r.header("Connection"), "request " + i + " in flight: " + r);
        Map<?, ?> first =
            (Map<?, ?>) ((List<?>) JSON.std.mapFrom(r.body()).get("predictions")).get(0);
        assertEquals(10, ((List<?>) first.get("probabilities")).size(), r.body());
        assertTrue(first.containsKey("class"), r.body());
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running: " + serve.output());
      assertEquals(0, p.exitValue(), serve.output());
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
      deadline = System.nanoTime() + DEADLINE_NANOS;
      while (!serve.output().contains("tf-mnist serve: stopped") && System.nanoTime() < deadline) {
        Thread.sleep(20); // the last lines may still be in the pipe
      }
      assertTrue(serve.output().contains("tf-mnist serve: stopped"), serve.output());
      assertFalse(serve.output().contains("cut"), serve.output());
    } finally {
      for (RawHttp c : connections) {
        c.close();
      }
      serve.close();
    }
  }

  private static RawHttp open(List<RawHttp> connections, int port) throws IOException {
    RawHttp c = new RawHttp(port);
    connections.add(c);
    return c;
  }

  /** Whether a new connection to {@code port} is accepted now. */
  private static boolean accepts(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (ConnectException e) {
      return false;
    }
  }
}
