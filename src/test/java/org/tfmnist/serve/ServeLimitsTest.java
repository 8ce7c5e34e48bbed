package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
 * The README's limit on what a client can hold during a shutdown: a request still unanswered when
 * the grace period is over is cut off (its connection closed, the cut counted in the log). Clients
 * that stall their requests are {@link StalledClientsTest}'s.
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
}
