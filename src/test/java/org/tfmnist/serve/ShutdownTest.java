package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;

/**
 * {@code tf-mnist serve} as a process: SIGTERM while requests wait in the batching queue. Every one
 * of them is answered, new connections are refused, and the process exits 0.
 */
class ShutdownTest {

  @TempDir Path tmp;

  @Test
  void sigtermAnswersEveryRequestInFlightThenExitsZero() throws Exception {
    TestModels.copy(TestModels.mlp(), tmp.resolve("models/mlp/1"));
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "org.tfmnist.cli.Main",
            "serve",
            "--models",
            tmp.resolve("models").toString(),
            "--port",
            "0",
            "--batch-timeout-micros",
            "4000000",
            "--grace-period",
            "20");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    StringBuilder output = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  synchronized (output) {
                    output.append(l).append('\n');
                  }
                  lines.add(l);
                }
              } catch (IOException e) {
                // process gone
              }
            });
    reader.start();
    try {
      URI url = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (url == null && System.nanoTime() < deadline) {
        String l = lines.poll(1, TimeUnit.SECONDS);
        if (l != null && l.startsWith("Drawing page: ")) {
          url = URI.create(l.substring("Drawing page: ".length()).trim());
        }
      }
      assertTrue(url != null, "no URL printed: " + output);

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      LabeledImages test = TestData.test();
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String body = ServerFixture.instances(new float[][] {test.imageAsFloats(i)});
        inFlight.add(
            http.sendAsync(
                HttpRequest.newBuilder(url.resolve("/v1/models/mlp:predict"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      Thread.sleep(1500); // they wait in the queue: a batch waits 4 s for 64 images
      p.toHandle().destroy(); // SIGTERM (Process.destroy() would also close our pipes)
      for (int i = 0; i < 8; i++) {
        HttpResponse<String> r = inFlight.get(i).get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        Map<?, ?> first =
            (Map<?, ?>) ((List<?>) JSON.std.mapFrom(r.body()).get("predictions")).get(0);
        assertTrue(first.containsKey("class"));
      }
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running: " + output);
      assertEquals(0, p.exitValue(), output.toString());
      int port = url.getPort();
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
      reader.join(5000);
      synchronized (output) {
        assertTrue(output.toString().contains("tf-mnist serve: stopped"), output.toString());
        assertTrue(!output.toString().contains("cut"), output.toString());
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
