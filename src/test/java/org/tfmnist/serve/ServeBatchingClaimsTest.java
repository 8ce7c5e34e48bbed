package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfmnist.serve.ClaimSupport.metric;
import static org.tfmnist.serve.ClaimSupport.post;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * The README's batching claims: at the default batch timeout of 0 µs the requests that arrive while
 * a batch runs form the next batch together; {@code --no-batching} runs every request on its own,
 * so the batching queue never sees one.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ServeBatchingClaimsTest {

  static final String BATCH_SIZE = ":tensorflow:serving:batching_session:processed_batch_size";

  @TempDir static Path tmp;
  static Path models;
  static float[][] images;
  static float[][] mlpExpected;
  static float[][] cnnExpected;

  @BeforeAll
  static void setUp() {
    models = tmp.resolve("models");
    TestModels.copy(TestModels.mlp(), models.resolve("mlp/1"));
    TestModels.copy(TestModels.cnn(), models.resolve("cnn/1"));
    LabeledImages test = TestData.test();
    int n = 8;
    images = new float[n][];
    float[] flat = new float[n * 784];
    for (int i = 0; i < n; i++) {
      images[i] = test.imageAsFloats(i);
      System.arraycopy(images[i], 0, flat, i * 784, 784);
    }
    try (ServingModel m = ServingModel.load(TestModels.mlp())) {
      mlpExpected = m.predict(flat, n);
    }
    try (ServingModel m = ServingModel.load(TestModels.cnn())) {
      cnnExpected = m.predict(flat, n);
    }
  }

  @Test
  void atTheDefaultZeroTimeoutRequestsArrivingDuringABatchFormTheNextOne() throws Exception {
    ServeConfig cfg = ServerFixture.config(models);
    assertEquals(0, cfg.batchTimeoutMicros(), "the default");
    try (ServerFixture f = new ServerFixture(cfg)) {
      // a large request keeps the batch thread busy with 30 full batches of 64 images
      int large = 30 * cfg.maxBatchSize();
      CompletableFuture<HttpResponse<String>> busy =
          ClaimSupport.postAsync(
              f,
              "/v1/models/cnn:predict",
              ClaimSupport.blankInstances(large),
              Duration.ofSeconds(120));
      Batcher queue = (Batcher) f.server.registry().live("cnn").get(0).scheduler();
      ClaimSupport.waitFor(
          "the large request queued",
          () -> queue.queuedImages() >= 10 * cfg.maxBatchSize() || busy.isDone(),
          f::log);
      // eight one-image requests sent now queue while those batches run
      List<CompletableFuture<HttpResponse<String>>> singles = new ArrayList<>();
      for (int i = 0; i < images.length; i++) {
        singles.add(
            ClaimSupport.postAsync(
                f,
                "/v1/models/cnn:predict",
                ServerFixture.instances(new float[][] {images[i]}),
                Duration.ofSeconds(120)));
      }
      HttpResponse<String> big = busy.get(120, TimeUnit.SECONDS);
      assertEquals(200, big.statusCode());
      for (int i = 0; i < images.length; i++) {
        HttpResponse<String> r = singles.get(i).get(120, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertArrayEquals(
            cnnExpected[i], ClaimSupport.probabilities(r.body(), 0), 1e-5f, "image " + i);
      }
      String m = ClaimSupport.get(f, "/monitoring/prometheus/metrics").body();
      String pool = "{thread_pool_name=\"cnn\"}";
      double runs = metric(m, BATCH_SIZE + "_count" + pool);
      double ran = metric(m, BATCH_SIZE + "_sum" + pool);
      assertEquals(large + images.length, ran, 0.0, "every image ran once");
      // 30 full batches for the large request; the eight singles in fewer than eight runs
      assertTrue(
          runs < 30 + images.length,
          runs + " session runs for " + ran + " images: the waiting requests were not merged");
    }
  }

  @Test
  void noBatchingRunsEveryRequestOnItsOwn() throws Exception {
    ServeConfig cfg = ServerFixture.with(ServerFixture.config(models), Map.of("batching", false));
    try (ServerFixture f = new ServerFixture(cfg)) {
      int clients = 8;
      int each = 5;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          int client = c;
          done.add(
              pool.submit(
                  () -> {
                    for (int k = 0; k < each; k++) {
                      int i = (client + k) % images.length;
                      ServerFixture.Reply r =
                          post(
                              f,
                              "/v1/models/mlp:predict",
                              ServerFixture.instances(new float[][] {images[i]}));
                      assertEquals(200, r.status(), r.body());
                      assertArrayEquals(
                          mlpExpected[i], ClaimSupport.probabilities(r, 0), 1e-5f, "image " + i);
                    }
                    return each;
                  }));
        }
        int total = 0;
        for (Future<Integer> d : done) {
          total += d.get(120, TimeUnit.SECONDS);
        }
        assertEquals(clients * each, total);
      } finally {
        pool.shutdownNow();
      }
      // a request larger than --max-batch-size is one session run too: nothing to split
      ServerFixture.Reply big =
          post(f, "/v1/models/mlp:predict", ClaimSupport.blankInstances(cfg.maxBatchSize() + 6));
      assertEquals(200, big.status(), big.body());
      String m = ClaimSupport.get(f, "/monitoring/prometheus/metrics").body();
      assertEquals(0, f.server.metrics().batchSize.totals("mlp")[0], 0.0, "batches were run");
      assertTrue(!m.contains(BATCH_SIZE + "_count"), "batch sizes reported:\n" + m);
      assertTrue(
          !m.contains(":tensorflow:serving:batching_session:queuing_latency_count"),
          "queueing reported:\n" + m);
      // every request still ran and was counted: one session run each
      assertEquals(
          clients * each + 1,
          metric(
              m,
              ":tensorflow:serving:runtime_latency_count"
                  + "{model_name=\"mlp\",API=\"predict\",runtime=\"TF1\"}"),
          0.0,
          m);
      assertTrue(
          f.server.registry().live("mlp").get(0).scheduler() instanceof Scheduler.Direct,
          "a batching scheduler");
    }
  }
}
