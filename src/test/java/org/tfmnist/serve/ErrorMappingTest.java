package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tfmnist.export.ExportException;
import org.tfmnist.export.TestOutputs;

/**
 * How failures become HTTP answers, as TF Serving maps its error codes to statuses: each kind of
 * {@link HttpError} with its status and TensorFlow code, what a scheduled run's failure becomes
 * ({@link RestApi#await}), how requests are counted by code, the {@code {"error": ...}} body, and
 * what the server answers for an unexpected exception.
 */
@Timeout(30)
class ErrorMappingTest {

  static Stream<Arguments> kinds() {
    return Stream.of(
        // the factory, the HTTP status, TensorFlow's code
        Arguments.of(
            "badRequest",
            (Function<String, HttpError>) HttpError::badRequest,
            400,
            "INVALID_ARGUMENT"),
        Arguments.of(
            "notFound", (Function<String, HttpError>) HttpError::notFound, 404, "NOT_FOUND"),
        Arguments.of(
            "tooLarge",
            (Function<String, HttpError>) HttpError::tooLarge,
            413,
            "RESOURCE_EXHAUSTED"),
        Arguments.of(
            "unsupportedMediaType",
            (Function<String, HttpError>) HttpError::unsupportedMediaType,
            415,
            "INVALID_ARGUMENT"),
        Arguments.of(
            "unavailable",
            (Function<String, HttpError>) HttpError::unavailable,
            503,
            "UNAVAILABLE"),
        Arguments.of(
            "deadline",
            (Function<String, HttpError>) HttpError::deadline,
            504,
            "DEADLINE_EXCEEDED"),
        Arguments.of(
            "internal", (Function<String, HttpError>) HttpError::internal, 500, "INTERNAL"));
  }

  @ParameterizedTest(name = "[{index}] HttpError.{0} -> {2} {3}")
  @MethodSource("kinds")
  void eachKindHasItsStatusAndCode(
      String name, Function<String, HttpError> kind, int status, String code) throws IOException {
    HttpError e = kind.apply("what went wrong");
    Response r = Response.error(e);
    assertAll(
        () -> assertEquals(status, e.status(), "status"),
        () -> assertEquals(code, e.code(), "code"),
        () -> assertEquals("what went wrong", e.getMessage()),
        () -> assertEquals(status, r.status(), "the response's status"),
        () -> assertEquals("application/json", r.contentType()),
        () ->
            assertEquals(
                Map.of("error", "what went wrong"),
                JSON.std.mapFrom(new String(r.body(), StandardCharsets.UTF_8))));
  }

  @Test
  void errorBodiesAreJsonWhateverTheMessageHolds() throws IOException {
    String nasty = "quote \" backslash \\ newline \n tab \t unicode é ✓ </script>";
    Response r = Response.error(HttpError.badRequest(nasty));
    assertEquals(
        Map.of("error", nasty), JSON.std.mapFrom(new String(r.body(), StandardCharsets.UTF_8)));
  }

  static final CompletableFuture<Scheduler.Result> NEVER = new CompletableFuture<>();

  static Stream<Arguments> runOutcomes() {
    return Stream.of(
        // what the run did, the status, the code, the message
        Arguments.of(
            "failed with a 503",
            CompletableFuture.failedFuture(HttpError.unavailable("queue full")),
            503,
            "UNAVAILABLE",
            "queue full"),
        Arguments.of(
            "failed in the model",
            CompletableFuture.failedFuture(new ExportException("output 'p' gave shape [3]")),
            500,
            "INTERNAL",
            "output 'p' gave shape [3]"),
        Arguments.of(
            "failed unexpectedly",
            CompletableFuture.failedFuture(new IllegalStateException("closed session")),
            500,
            "INTERNAL",
            "the session run failed: java.lang.IllegalStateException: closed session"),
        Arguments.of("cancelled", cancelled(), 503, "UNAVAILABLE", "cancelled"),
        Arguments.of(
            "never answered",
            new CompletableFuture<>(),
            504,
            "DEADLINE_EXCEEDED",
            "Timed out waiting for notification: no answer within 0 ms"));
  }

  static CompletableFuture<Scheduler.Result> cancelled() {
    CompletableFuture<Scheduler.Result> f = new CompletableFuture<>();
    f.cancel(false);
    return f;
  }

  @ParameterizedTest(name = "[{index}] a run {0} -> {2} {3}")
  @MethodSource("runOutcomes")
  void aRunsFailureBecomesItsHttpError(
      String what, CompletableFuture<Scheduler.Result> f, int status, String code, String message) {
    HttpError e = assertThrows(HttpError.class, () -> RestApi.await(f, System.nanoTime(), 0));
    assertAll(
        () -> assertEquals(status, e.status(), e.getMessage()),
        () -> assertEquals(code, e.code()),
        () -> assertEquals(message, e.getMessage()));
  }

  @Test
  void aTimedOutRunIsCancelledSoTheBatcherSkipsIt() {
    CompletableFuture<Scheduler.Result> f = new CompletableFuture<>();
    // the deadline counts from the request's start, not from the wait
    long started = System.nanoTime() - 10_000_000_000L;
    HttpError e = assertThrows(HttpError.class, () -> RestApi.await(f, started, 5_000));
    assertEquals(504, e.status());
    assertTrue(f.isCancelled(), "the abandoned run is cancelled");
  }

  @Test
  void anAnsweredRunIsReturnedAndAHttpErrorIsPassedOnAsItIs() {
    Scheduler.Result ok = new Scheduler.Result(TestOutputs.rows("p", new float[] {1}, 2), 5);
    assertSame(ok, RestApi.await(CompletableFuture.completedFuture(ok), System.nanoTime(), 1000));
    HttpError full = HttpError.unavailable("full");
    assertSame(
        full,
        assertThrows(
            HttpError.class,
            () -> RestApi.await(CompletableFuture.failedFuture(full), System.nanoTime(), 1000)));
  }

  @Test
  void anInterruptedWaitIs503AndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      HttpError e =
          assertThrows(
              HttpError.class,
              () -> RestApi.await(new CompletableFuture<>(), System.nanoTime(), 10_000));
      assertEquals(503, e.status());
      assertEquals("interrupted", e.getMessage());
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
    } finally {
      Thread.interrupted();
    }
  }

  static Stream<Arguments> counted() {
    return Stream.of(
        // what the route does, the status label it is counted under
        Arguments.of("answers", (RestApi.Handler) t -> Response.empty(200), "OK"),
        Arguments.of(
            "is a 404",
            (RestApi.Handler)
                t -> {
                  throw HttpError.notFound("x");
                },
            "NOT_FOUND"),
        Arguments.of(
            "is a 400",
            (RestApi.Handler)
                t -> {
                  throw HttpError.badRequest("x");
                },
            "INVALID_ARGUMENT"),
        Arguments.of(
            "times out",
            (RestApi.Handler)
                t -> {
                  throw HttpError.deadline("x");
                },
            "DEADLINE_EXCEEDED"),
        Arguments.of(
            "fails unexpectedly",
            (RestApi.Handler)
                t -> {
                  throw new IllegalStateException("bug");
                },
            "INTERNAL"));
  }

  @ParameterizedTest(name = "[{index}] a request that {0} is counted as {2}")
  @MethodSource("counted")
  void requestsAreCountedByTheirCode(String what, RestApi.Handler h, String status) {
    Metrics m = new Metrics();
    try {
      RestApi.counted(m, "mlp", "predict", h);
    } catch (RuntimeException e) {
      // counted and passed on: the server answers it
    }
    String line =
        ":tensorflow:serving:request_count{model_name=\"mlp\",status=\"" + status + "\"} 1";
    String counts =
        m.render()
            .lines()
            .filter(l -> l.startsWith(":tensorflow:serving:request_count{"))
            .reduce("", (a, b) -> a + b + "; ");
    assertAll(
        () -> assertEquals(line + "; ", counts, "the request counter"),
        () ->
            assertEquals(
                1, m.requestLatency.totals("mlp", "predict", "REST")[0], "latency observed"));
  }

  @Test
  void aHttpErrorFromARouteIsPassedOnUnchanged() {
    HttpError e = HttpError.notFound("gone");
    assertSame(
        e,
        assertThrows(
            HttpError.class,
            () ->
                RestApi.counted(
                    new Metrics(),
                    "m",
                    "predict",
                    t -> {
                      throw e;
                    })));
  }

  /** A request whose headers fail when read: an unexpected exception inside the routes. */
  static Request failingHeaders(RuntimeException failure) {
    Map<String, List<String>> headers =
        new AbstractMap<>() {
          @Override
          public List<String> get(Object key) {
            throw failure;
          }

          @Override
          public Set<Map.Entry<String, List<String>>> entrySet() {
            return Set.of();
          }
        };
    return new Request("POST", "/v1/models/mlp:predict", null, headers, new byte[0]);
  }

  @Test
  void anUnexpectedExceptionIsA500AndIsLogged(@TempDir Path models) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ModelServer s =
        new ModelServer(
            ServerFixture.config(models), new PrintStream(log, true, StandardCharsets.UTF_8));
    Response r = s.handle(failingHeaders(new UncheckedIOException(new IOException("disk gone"))));
    assertEquals(500, r.status());
    assertEquals(
        new String(
            Response.error(
                    HttpError.internal(
                        "internal error: java.io.UncheckedIOException: java.io.IOException: disk"
                            + " gone"))
                .body(),
            StandardCharsets.UTF_8),
        new String(r.body(), StandardCharsets.UTF_8));
    assertTrue(
        log.toString(StandardCharsets.UTF_8)
            .startsWith("internal error answering POST /v1/models/mlp:predict:\n"),
        log.toString(StandardCharsets.UTF_8));
  }
}
