package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.runtime.ServingModel;

/**
 * Dynamic batching: concurrent clients' requests are merged into session runs of more than one
 * image, each client still gets its own rows back; a request larger than the maximum batch is split
 * and joined; a full queue answers 503, a request larger than the whole queue 413; a request not
 * answered in time answers 504.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BatchingTest {

  @TempDir static Path tmp;
  static Path models;
  static float[][] images;
  static float[][] expected;

  @BeforeAll
  static void setUp() {
    models = tmp.resolve("models");
    TestModels.copy(TestModels.mlp(), models.resolve("mlp/1"));
    LabeledImages test = TestData.test();
    int n = 40;
    images = new float[n][];
    float[] flat = new float[n * 784];
    for (int i = 0; i < n; i++) {
      images[i] = test.imageAsFloats(i);
      System.arraycopy(images[i], 0, flat, i * 784, 784);
    }
    try (ServingModel m = ServingModel.load(TestModels.mlp())) {
      expected = m.predict(flat, n);
    }
  }

  @Test
  void concurrentRequestsShareSessionRunsAndGetTheirOwnRows() throws Exception {
    ServeConfig cfg =
        ServerFixture.with(ServerFixture.config(models), Map.of("batchTimeoutMicros", 2000));
    try (ServerFixture f = new ServerFixture(cfg)) {
      int clients = 16;
      int each = 25;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<Integer>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(
            pool.submit(
                () -> {
                  for (int k = 0; k < each; k++) {
                    int i = (client * each + k) % images.length;
                    ServerFixture.Reply r =
                        f.post(
                            "/v1/models/mlp:predict",
                            ServerFixture.instances(new float[][] {images[i]}));
                    assertEquals(200, r.status(), r.body());
                    Map<?, ?> p = (Map<?, ?>) ((List<?>) r.json().get("predictions")).get(0);
                    assertArrayEquals(
                        expected[i],
                        ServeApiTest.floats((List<?>) p.get("probabilities")),
                        1e-5f,
                        "image " + i + " got another request's rows");
                  }
                  return each;
                }));
      }
      int total = 0;
      for (Future<Integer> d : done) {
        total += d.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertEquals(clients * each, total);
      double[] runs = f.server.metrics().batchSize.totals("mlp");
      double mean = runs[1] / runs[0];
      assertEquals(clients * each, runs[1], 0.0, "every image ran once");
      assertTrue(
          mean > 1.5,
          "batches of " + mean + " images on average over " + runs[0] + " runs: no batching");
    }
  }

  @Test
  void aRequestLargerThanTheMaximumIsSplitAndJoined() throws IOException {
    ServeConfig cfg = ServerFixture.with(ServerFixture.config(models), Map.of("maxBatchSize", 8));
    try (ServerFixture f = new ServerFixture(cfg)) {
      ServerFixture.Reply r = f.post("/v1/models/mlp:predict", ServerFixture.instances(images));
      assertEquals(200, r.status(), r.body());
      List<?> ps = (List<?>) r.json().get("predictions");
      assertEquals(images.length, ps.size());
      for (int i = 0; i < images.length; i++) {
        assertArrayEquals(
            expected[i],
            ServeApiTest.floats((List<?>) ((Map<?, ?>) ps.get(i)).get("probabilities")),
            1e-5f);
      }
      double[] runs = f.server.metrics().batchSize.totals("mlp");
      assertEquals(5, runs[0], 0.0, "40 images in runs of at most 8");
    }
  }

  @Test
  void aFullQueueAnswers503() throws Exception {
    // room for 8 images, and a batch that waits far longer than the test for 8 to arrive: the
    // first request stays queued until the test itself completes its batch
    ServeConfig cfg =
        ServerFixture.with(
            ServerFixture.config(models),
            Map.of(
                "maxBatchSize",
                8,
                "maxEnqueuedBatches",
                1,
                "batchTimeoutMicros",
                600_000_000L,
                "requestTimeoutMillis",
                120_000));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (ServerFixture f = new ServerFixture(cfg)) {
      Future<ServerFixture.Reply> waiting =
          pool.submit(() -> f.post("/v1/models/mlp:predict", instances(0, 5)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (queued(f) < 5) {
        assertTrue(System.nanoTime() < deadline, "the first request never reached the queue");
        Thread.sleep(2);
      }
      ServerFixture.Reply full = f.post("/v1/models/mlp:predict", instances(5, 9));
      assertEquals(503, full.status(), full.body());
      assertTrue(
          full.error()
              .startsWith("The batch scheduling queue to which this task was submitted is full"),
          full.body());
      assertEquals(5, queued(f), "a refused request leaves nothing in the queue");
      assertFalse(waiting.isDone(), "the queued request was answered before its batch was full");

      // three images fill the batch: it runs, and both requests get their own rows
      ServerFixture.Reply rest = f.post("/v1/models/mlp:predict", instances(5, 8));
      assertEquals(200, rest.status(), rest.body());
      assertRows(rest, 5, 3);
      ServerFixture.Reply first = waiting.get(60, TimeUnit.SECONDS);
      assertEquals(200, first.status(), first.body());
      assertRows(first, 0, 5);
      double[] runs = f.server.metrics().batchSize.totals("mlp");
      assertArrayEquals(new double[] {1, 8}, runs, 0.0, "one session run of 8 images");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRequestThatCanNeverFitTheQueueAnswers413OnAnIdleServer() throws IOException {
    ServeConfig small =
        ServerFixture.with(
            ServerFixture.config(models), Map.of("maxBatchSize", 2, "maxEnqueuedBatches", 2));
    try (ServerFixture f = new ServerFixture(small)) {
      ServerFixture.Reply tooMany = f.post("/v1/models/mlp:predict", instances(0, 5));
      assertEquals(413, tooMany.status(), tooMany.body());
      assertTrue(tooMany.error().contains("at most 4 images per request"), tooMany.body());
      ServerFixture.Reply fits = f.post("/v1/models/mlp:predict", instances(0, 4));
      assertEquals(200, fits.status(), fits.body());
      assertRows(fits, 0, 4);
    }
  }

  @Test
  void aRequestNotAnsweredInTimeAnswers504() throws IOException {
    // a lone image waits 10 minutes for company: only the request's deadline can answer it
    ServeConfig slow =
        ServerFixture.with(
            ServerFixture.config(models),
            Map.of("batchTimeoutMicros", 600_000_000L, "requestTimeoutMillis", 300));
    try (ServerFixture f = new ServerFixture(slow)) {
      ServerFixture.Reply late = f.post("/v1/models/mlp:predict", instances(0, 1));
      assertEquals(504, late.status(), late.body());
      assertTrue(late.error().contains("no answer within 300 ms"), late.body());
      assertEquals(0.0, f.server.metrics().batchSize.totals("mlp")[0], "answered by a session run");
      assertTrue(
          f.get("/monitoring/prometheus/metrics")
              .body()
              .contains("status=\"DEADLINE_EXCEEDED\"} 1"));
    }
  }

  /** Images {@code from} to {@code to - 1} in TF Serving's row form. */
  private static String instances(int from, int to) {
    return ServerFixture.instances(Arrays.copyOfRange(images, from, to));
  }

  /** The reply holds the probabilities of images {@code from} to {@code from + count - 1}. */
  private static void assertRows(ServerFixture.Reply r, int from, int count) {
    List<?> ps = (List<?>) r.json().get("predictions");
    assertEquals(count, ps.size(), r.body());
    for (int k = 0; k < ps.size(); k++) {
      assertArrayEquals(
          expected[from + k],
          ServeApiTest.floats((List<?>) ((Map<?, ?>) ps.get(k)).get("probabilities")),
          1e-5f,
          "row " + k + " is another request's");
    }
  }

  private static int queued(ServerFixture f) {
    List<ModelVersion> live = f.server.registry().live("mlp");
    return live.isEmpty() ? 0 : ((Batcher) live.get(0).scheduler()).queuedImages();
  }
}
