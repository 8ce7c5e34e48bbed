package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.export.ServingModel;

/**
 * Dynamic batching: concurrent clients' requests are merged into session runs of more than one
 * image, each client still gets its own rows back; a request larger than the maximum batch is split
 * and joined; a full queue answers 503; a request not answered in time answers 504.
 */
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
  void aFullQueueAnswers503AndALateAnswer504() throws Exception {
    // room for 8 images; a batch waits up to 1 s for 8 to arrive
    ServeConfig cfg =
        ServerFixture.with(
            ServerFixture.config(models),
            Map.of(
                "maxBatchSize",
                8,
                "maxEnqueuedBatches",
                1,
                "batchTimeoutMicros",
                1_000_000,
                "requestTimeoutMillis",
                5_000));
    try (ServerFixture f = new ServerFixture(cfg)) {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      float[][] five = java.util.Arrays.copyOf(images, 5);
      Future<ServerFixture.Reply> waiting =
          pool.submit(() -> f.post("/v1/models/mlp:predict", ServerFixture.instances(five)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (queued(f) < 5 && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      ServerFixture.Reply full =
          f.post(
              "/v1/models/mlp:predict",
              ServerFixture.instances(java.util.Arrays.copyOf(images, 4)));
      assertEquals(503, full.status(), full.body());
      assertTrue(
          full.error()
              .startsWith(
                  "The batch scheduling queue to which this task was " + "submitted is full"),
          full.body());
      assertEquals(200, waiting.get(30, TimeUnit.SECONDS).status());
      pool.shutdown();
    }
    ServeConfig slow =
        ServerFixture.with(
            ServerFixture.config(models),
            Map.of("batchTimeoutMicros", 3_000_000, "requestTimeoutMillis", 300));
    try (ServerFixture f = new ServerFixture(slow)) {
      long t0 = System.nanoTime();
      ServerFixture.Reply late =
          f.post("/v1/models/mlp:predict", ServerFixture.instances(new float[][] {images[0]}));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(504, late.status(), late.body());
      assertTrue(late.error().contains("no answer within 300 ms"), late.body());
      assertTrue(ms < 2_500, "answered after " + ms + " ms, not at the deadline");
      assertTrue(
          f.get("/monitoring/prometheus/metrics")
              .body()
              .contains("status=\"DEADLINE_EXCEEDED\"} 1"));
    }
  }

  private static int queued(ServerFixture f) {
    List<ModelVersion> live = f.server.registry().live("mlp");
    return live.isEmpty() ? 0 : ((Batcher) live.get(0).scheduler()).queuedImages();
  }
}
