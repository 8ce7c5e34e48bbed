package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfmnist.serve.ClaimSupport.get;
import static org.tfmnist.serve.ClaimSupport.post;
import static org.tfmnist.serve.ClaimSupport.states;
import static org.tfmnist.serve.ClaimSupport.waitFor;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.runtime.ServingModel;

/**
 * The README's claims about versions: {@code --num-versions N} serves the N newest versions, each
 * at its own path, and no older one; a new version is loaded and warmed up before it replaces the
 * old one; a request in flight finishes on the version it started on, while one that names the
 * version being unloaded gets the 404 of an unknown version.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ServeVersionsTest {

  @TempDir Path tmp;

  static float[] image;
  static float[] mlpExpected;
  static float[] cnnExpected;

  @BeforeAll
  static void expectations() {
    image = TestData.test().imageAsFloats(0);
    try (ServingModel m = ServingModel.load(TestModels.mlp())) {
      mlpExpected = m.predict(image, 1)[0];
    }
    try (ServingModel m = ServingModel.load(TestModels.cnn())) {
      cnnExpected = m.predict(image, 1)[0];
    }
    float diff = 0;
    for (int k = 0; k < 10; k++) {
      diff = Math.max(diff, Math.abs(mlpExpected[k] - cnnExpected[k]));
    }
    // the versions below are told apart by their probabilities, so they must differ
    assertTrue(diff > 1e-3, "the MLP and the CNN give the same probabilities");
  }

  @Test
  void numVersionsServesTheNNewestEachAtItsPath() throws Exception {
    Path model = tmp.resolve("models/digits");
    for (int v = 1; v <= 3; v++) {
      TestModels.copy(TestModels.mlp(), model.resolve(Integer.toString(v)));
    }
    ServeConfig cfg =
        ServerFixture.with(
            ServerFixture.config(tmp.resolve("models")),
            Map.of("numVersions", 2, "pollMillis", 100));
    String one = ServerFixture.instances(new float[][] {image});
    try (ServerFixture f = new ServerFixture(cfg)) {
      assertEquals(List.of(3L, 2L), f.server.served().get("digits"));
      assertEquals(Map.of("3", "AVAILABLE", "2", "AVAILABLE"), states(f, "digits"));
      assertEquals("3", post(f, "/v1/models/digits:predict", one).version(), "the newest");
      for (String v : List.of("2", "3")) {
        ServerFixture.Reply r = post(f, "/v1/models/digits/versions/" + v + ":predict", one);
        assertEquals(200, r.status(), r.body());
        assertEquals(v, r.version());
        assertArrayEquals(mlpExpected, ClaimSupport.probabilities(r, 0), 1e-5f);
      }
      ServerFixture.Reply old = post(f, "/v1/models/digits/versions/1:predict", one);
      assertEquals(404, old.status(), old.body());
      assertEquals("Servable not found for request: Specific(digits, 1)", old.error());
      assertEquals(404, get(f, "/v1/models/digits/versions/1").status(), "never loaded");

      // a fourth version: the two newest are now 4 and 3; 2 leaves
      TestModels.copy(TestModels.mlp(), model.resolve(".4.tmp-1"));
      Files.move(model.resolve(".4.tmp-1"), model.resolve("4"), StandardCopyOption.ATOMIC_MOVE);
      waitFor(
          "versions 4 and 3 served, 2 ended",
          () -> states(f, "digits").equals(Map.of("4", "AVAILABLE", "3", "AVAILABLE", "2", "END")),
          f::log);
      assertEquals(List.of(4L, 3L), f.server.served().get("digits"));
      assertEquals("3", post(f, "/v1/models/digits/versions/3:predict", one).version());
      assertEquals(404, post(f, "/v1/models/digits/versions/2:predict", one).status());
    }
  }

  @Test
  void aNewVersionIsWarmedUpBeforeItReplacesTheOldOne() throws Exception {
    Path model = tmp.resolve("models/digits");
    TestModels.copy(TestModels.mlp(), model.resolve("1"));
    ServeConfig cfg =
        ServerFixture.with(ServerFixture.config(tmp.resolve("models")), Map.of("pollMillis", 100));
    String one = ServerFixture.instances(new float[][] {image});
    try (ServerFixture f = new ServerFixture(cfg)) {
      TestModels.copy(TestModels.cnn(), model.resolve(".2.tmp-1"));
      Files.move(model.resolve(".2.tmp-1"), model.resolve("2"), StandardCopyOption.ATOMIC_MOVE);
      // while version 2 loads and warms up, version 1 answers
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!"END".equals(states(f, "digits").get("1"))) {
        assertTrue(System.nanoTime() < deadline, "version 1 never ended:\n" + f.log());
        ServerFixture.Reply r = post(f, "/v1/models/digits:predict", one);
        assertEquals(200, r.status(), r.body());
        assertTrue(List.of("1", "2").contains(r.version()), r.version());
        Thread.sleep(20);
      }
      String log = f.log();
      // the log tells the order: version 2 loaded and warmed up, only then version 1 went
      Matcher warm =
          Pattern.compile("digits version 2: AVAILABLE \\(.*, warm-up (\\d+) ms\\)").matcher(log);
      assertTrue(warm.find(), log);
      int available = warm.start();
      int unloaded = log.indexOf("digits version 1: unloaded");
      assertTrue(unloaded > available, "version 1 unloaded before version 2 was ready:\n" + log);
      // the warm-up ran TensorFlow's first session runs, which take time; none would take 0 ms
      assertTrue(Integer.parseInt(warm.group(1)) > 0, "no warm-up:\n" + log);
      ServerFixture.Reply r = post(f, "/v1/models/digits:predict", one);
      assertEquals("2", r.version());
      assertArrayEquals(cnnExpected, ClaimSupport.probabilities(r, 0), 1e-5f);
    }
  }

  @Test
  void aRequestInFlightFinishesOnItsVersionAndTheUnloadingVersionIsGone() throws Exception {
    Path model = tmp.resolve("models/digits");
    TestModels.copy(TestModels.mlp(), model.resolve("1"));
    // a batch of 4 runs at once; fewer images wait a minute for company, so a request stays in
    // flight on version 1 until this test completes its batch
    ServeConfig cfg =
        ServerFixture.with(
            ServerFixture.config(tmp.resolve("models")),
            Map.of(
                "pollMillis",
                100,
                "maxBatchSize",
                4,
                "batchTimeoutMicros",
                60_000_000L,
                "requestTimeoutMillis",
                120_000L));
    try (ServerFixture f = new ServerFixture(cfg)) {
      // staged first (a hidden directory is no version), so that the request below waits only
      // for the load, not for a copy on a loaded machine
      TestModels.copy(TestModels.cnn(), model.resolve(".2.tmp-1"));
      ModelVersion v1 = f.server.registry().live("digits").get(0);
      assertTrue(v1.acquire(), "version 1 open");
      try {
        CompletableFuture<HttpResponse<String>> inFlight =
            ClaimSupport.postAsync(
                f,
                "/v1/models/digits:predict",
                ServerFixture.instances(new float[][] {image}),
                Duration.ofSeconds(120));
        Batcher queue1 = (Batcher) v1.scheduler();
        waitFor("the request queued on version 1", () -> queue1.queuedImages() == 1, f::log);

        Files.move(model.resolve(".2.tmp-1"), model.resolve("2"), StandardCopyOption.ATOMIC_MOVE);
        waitFor(
            "version 2 serving, version 1 unloading",
            () -> states(f, "digits").equals(Map.of("2", "AVAILABLE", "1", "UNLOADING")),
            f::log);
        assertFalse(inFlight.isDone(), "the request on version 1 is still waiting");

        float[][] four = {image, image, image, image};
        ServerFixture.Reply now =
            post(f, "/v1/models/digits:predict", ServerFixture.instances(four));
        assertEquals(200, now.status(), now.body());
        assertEquals("2", now.version());
        assertArrayEquals(cnnExpected, ClaimSupport.probabilities(now, 3), 1e-5f);
        // the version being unloaded is no longer served: the 404 of an unknown version, not 503
        ServerFixture.Reply named =
            post(f, "/v1/models/digits/versions/1:predict", ServerFixture.instances(four));
        assertEquals(404, named.status(), named.body());
        assertEquals("Servable not found for request: Specific(digits, 1)", named.error());

        // three more images complete version 1's batch; the request is answered by version 1
        v1.scheduler().submit(new float[3 * 784], 3).get(60, TimeUnit.SECONDS);
        HttpResponse<String> answered = inFlight.get(60, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        assertEquals("1", answered.headers().firstValue("X-Model-Version").orElse(null));
        assertArrayEquals(mlpExpected, ClaimSupport.probabilities(answered.body(), 0), 1e-5f);
        assertFalse(v1.closed(), "closed while this test holds it");
      } finally {
        v1.release();
      }
      assertTrue(v1.closed(), "the last reference closes version 1");
      waitFor("version 1 ended", () -> "END".equals(states(f, "digits").get("1")), f::log);
    }
  }
}
