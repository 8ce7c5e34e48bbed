package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;

/**
 * A new version exported while clients keep predicting is loaded, warmed up and takes over with no
 * failed request; an export's hidden temporary directory is ignored; a version that fails to load
 * is reported in the status while the previous one keeps serving, and is loaded once its files are
 * fixed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HotReloadTest {

  /** The hidden directory an export writes version 2 into before renaming it. */
  private static final String STAGING = ".2.tmp-4242";

  /** What names every staging directory here, and nothing else. */
  private static final String TAG = "tmp-4242";

  @TempDir Path tmp;

  @Test
  void aNewVersionTakesOverUnderLoadWithoutAFailedRequest() throws Exception {
    Path model = tmp.resolve("models/digits");
    TestModels.copy(TestModels.mlp(), model.resolve("1"));
    ServeConfig cfg =
        ServerFixture.with(ServerFixture.config(tmp.resolve("models")), Map.of("pollMillis", 100));
    String body = ServerFixture.instances(new float[][] {TestData.test().imageAsFloats(0)});
    try (ServerFixture f = new ServerFixture(cfg)) {
      AtomicBoolean stop = new AtomicBoolean();
      Queue<String> versions = new ConcurrentLinkedQueue<>();
      // version of each request sent after version 1 was seen END (a reply the server sent
      // before then may reach its client's list later, so the send time decides)
      Queue<String> afterEnd = new ConcurrentLinkedQueue<>();
      AtomicBoolean ended = new AtomicBoolean();
      Queue<String> failures = new ConcurrentLinkedQueue<>();
      List<Thread> clients = new ArrayList<>();
      // each request has the fixture's timeout: a request never answered fails, not hangs
      for (int c = 0; c < 8; c++) {
        Thread t =
            new Thread(
                () -> {
                  for (int k = 0; k < 5000 && !stop.get(); k++) {
                    boolean sentAfterEnd = ended.get();
                    try {
                      ServerFixture.Reply r = f.post("/v1/models/digits:predict", body);
                      if (r.status() != 200) {
                        failures.add(r.status() + " " + r.body());
                      } else {
                        versions.add(r.version());
                        if (sentAfterEnd) {
                          afterEnd.add(r.version());
                        }
                      }
                    } catch (RuntimeException e) {
                      failures.add(e.toString());
                    }
                  }
                });
        t.setDaemon(true); // a failed assertion must not leave them running
        clients.add(t);
        t.start();
      }
      // everything the server shows while the export is staged, renamed and taken over: no
      // status, log line or metric may name the staging directory, and until the rename only
      // version 1 may appear
      Observer observer = new Observer(f);
      observer.start();
      waitFor(() -> versions.size() >= 8, f);
      // an export in progress: a hidden temporary directory, then renamed into place
      Path staging = model.resolve(STAGING);
      TestModels.copy(TestModels.cnn(), staging);
      // a new model's export, abandoned in its hidden directory as a killed export leaves it
      TestModels.copy(TestModels.mlp(), tmp.resolve("models/.new." + TAG + "/1"));
      // one more model, renamed into place: once it is listed, a scan has run since both hidden
      // directories appeared, and the registry had its chance to take them
      Path probe = tmp.resolve("models/.probe." + TAG);
      TestModels.copy(TestModels.mlp(), probe.resolve("1"));
      Files.move(probe, tmp.resolve("models/probe"), StandardCopyOption.ATOMIC_MOVE);
      waitFor(() -> f.get("/v1/models/probe").status() == 200, f);
      for (String route : Observer.ROUTES) {
        observer.check(route, f.get(route), true);
      }
      observer.beforeRename = false;
      Files.move(staging, model.resolve("2"), StandardCopyOption.ATOMIC_MOVE);
      waitFor(() -> states(f).equals(Map.of("2", "AVAILABLE", "1", "END")), f);
      ended.set(true);
      waitFor(() -> afterEnd.size() >= 8, f);
      stop.set(true);
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(t.isAlive(), "a client still waits for an answer");
      }
      observer.finish();
      assertEquals(List.of(), List.copyOf(failures), "failed requests");
      List<String> seen = List.copyOf(versions);
      assertTrue(seen.contains("1") && seen.contains("2"), "both versions answered");
      assertTrue(!afterEnd.isEmpty(), "requests after the switch");
      assertTrue(
          afterEnd.stream().allMatch("2"::equals),
          "once version 1 is END, only version 2 answers: " + afterEnd);
      assertTrue(f.log().contains("digits version 2: AVAILABLE"), f.log());
      assertTrue(f.log().contains("digits version 1: unloaded"), f.log());
      assertTrue(observer.observed.get() > Observer.ROUTES.length, "nothing observed");
      assertEquals(List.of(), List.copyOf(observer.staged), "the staging directory was seen");
      assertFalse(f.log().contains(TAG), "the log names a staging directory: " + f.log());

      // a version that does not load: reported, and version 2 keeps serving
      Path broken = model.resolve("3");
      Files.createDirectories(broken);
      Files.writeString(broken.resolve("saved_model.pb"), "not a protobuf");
      waitFor(() -> "END".equals(states(f).get("3")), f);
      Map<?, ?> v3 = version(f, "3");
      Map<?, ?> status = (Map<?, ?>) v3.get("status");
      assertEquals("UNKNOWN", status.get("error_code"));
      assertTrue(
          String.valueOf(status.get("error_message")).contains(broken.toString()), v3.toString());
      assertEquals("AVAILABLE", states(f).get("2"));
      ServerFixture.Reply r = f.post("/v1/models/digits:predict", body);
      assertEquals(200, r.status());
      assertEquals("2", r.version());
      assertEquals(200, f.get("/readyz").status(), "a model with a version serving is ready");

      // fixed: its files change, it is tried again
      Files.delete(broken.resolve("saved_model.pb"));
      TestModels.copy(TestModels.mlp(), broken);
      waitFor(() -> "AVAILABLE".equals(states(f).get("3")), f);
      assertEquals("3", f.post("/v1/models/digits:predict", body).version());
    }
  }

  @Test
  void readinessWaitsForEveryModel() throws Exception {
    Path models = tmp.resolve("models");
    Files.createDirectories(models);
    ServeConfig cfg = ServerFixture.with(ServerFixture.config(models), Map.of("pollMillis", 100));
    try (ServerFixture f = new ServerFixture(cfg)) {
      assertEquals(503, f.get("/readyz").status(), "no models yet");
      assertEquals(400, f.get("/v2/health/ready").status(), "v2: no models yet");
      assertEquals(200, f.get("/healthz").status());
      assertEquals(200, f.get("/v2/health/live").status());
      TestModels.copy(TestModels.mlp(), models.resolve("mlp/1"));
      waitFor(() -> f.get("/readyz").status() == 200, f);
      assertEquals(200, f.get("/v2/health/ready").status(), "v2 ready as /readyz is");
      Path bad = models.resolve("bad/1");
      Files.createDirectories(bad);
      Files.writeString(bad.resolve("saved_model.pb"), "garbage");
      waitFor(() -> f.get("/readyz").status() == 503, f);
      assertTrue(f.get("/readyz").body().contains("bad"));
      assertEquals(400, f.get("/v2/health/ready").status(), "v2: a model is down");
      assertEquals(200, f.get("/v2/models/mlp/ready").status(), "but mlp is ready");
    }
  }

  /**
   * Reads the status, model list and metrics routes non-stop on its own thread and keeps every
   * answer that names a staging directory, or that was read before the rename and shows a version
   * other than 1.
   */
  private static final class Observer extends Thread {
    static final String[] ROUTES = {
      "/v1/models/digits", "/v1/models", "/monitoring/prometheus/metrics"
    };

    final ServerFixture f;
    final Queue<String> staged = new ConcurrentLinkedQueue<>();
    volatile boolean beforeRename = true;
    volatile boolean stop;
    final AtomicInteger observed = new AtomicInteger();

    Observer(ServerFixture f) {
      this.f = f;
      setDaemon(true);
    }

    @Override
    public void run() {
      for (int k = 0; !stop; k++) {
        String route = ROUTES[k % ROUTES.length];
        ServerFixture.Reply r = f.get(route);
        // still set once the answer is in: the server wrote it before the rename began
        check(route, r, beforeRename);
      }
    }

    void check(String route, ServerFixture.Reply r, boolean beforeRename) {
      if (r.body().contains(TAG)) {
        staged.add(route + ": " + r.body());
      }
      if (beforeRename && route.equals(ROUTES[0]) && !states(r).keySet().equals(Set.of("1"))) {
        staged.add(route + " before the rename: " + r.body());
      }
      observed.incrementAndGet();
    }

    void finish() throws InterruptedException {
      stop = true;
      join(TimeUnit.SECONDS.toMillis(60));
      assertFalse(isAlive(), "the observer still waits for an answer");
    }
  }

  private static Map<String, String> states(ServerFixture f) {
    return states(f.get("/v1/models/digits"));
  }

  /** Version to state, from a status answer. */
  private static Map<String, String> states(ServerFixture.Reply r) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Object o : (List<?>) r.json().get("model_version_status")) {
      Map<?, ?> v = (Map<?, ?>) o;
      out.put((String) v.get("version"), (String) v.get("state"));
    }
    return out;
  }

  private static Map<?, ?> version(ServerFixture f, String v) {
    List<?> l =
        (List<?>) f.get("/v1/models/digits/versions/" + v).json().get("model_version_status");
    return (Map<?, ?>) l.get(0);
  }

  private static void waitFor(BooleanSupplier condition, ServerFixture f)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out; server log:\n" + f.log());
      Thread.sleep(50);
    }
  }
}
