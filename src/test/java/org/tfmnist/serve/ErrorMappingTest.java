package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tfmnist.export.ExportException;
import org.tfmnist.export.TestOutputs;

/**
 * How failures become HTTP answers, as TF Serving maps its error codes to statuses: each {@link
 * ServeException.Reason} with its status ({@link HttpStatus}, the one switch) and TensorFlow code,
 * what a scheduled run's failure becomes ({@link Inference#await}), how requests are counted by
 * code, the {@code {"error": ...}} body, and what the server answers for a fault: a request id,
 * never the exception.
 */
@Timeout(30)
class ErrorMappingTest {

  /**
   * Every reason, its HTTP status and TensorFlow's code: the statuses this server has always sent.
   */
  static final Map<ServeException.Reason, Map.Entry<Integer, String>> TABLE =
      new EnumMap<>(
          Map.ofEntries(
              Map.entry(ServeException.Reason.BAD_REQUEST, Map.entry(400, "INVALID_ARGUMENT")),
              Map.entry(
                  ServeException.Reason.UNSUPPORTED_ENCODING, Map.entry(415, "INVALID_ARGUMENT")),
              Map.entry(ServeException.Reason.NOT_FOUND, Map.entry(404, "NOT_FOUND")),
              Map.entry(ServeException.Reason.TOO_LARGE, Map.entry(413, "RESOURCE_EXHAUSTED")),
              Map.entry(ServeException.Reason.QUEUE_FULL, Map.entry(503, "UNAVAILABLE")),
              Map.entry(ServeException.Reason.UNLOADING, Map.entry(503, "UNAVAILABLE")),
              Map.entry(ServeException.Reason.BODIES_FULL, Map.entry(503, "UNAVAILABLE")),
              Map.entry(ServeException.Reason.INTERRUPTED, Map.entry(503, "UNAVAILABLE")),
              Map.entry(ServeException.Reason.DEADLINE, Map.entry(504, "DEADLINE_EXCEEDED")),
              Map.entry(ServeException.Reason.BODY_TIMEOUT, Map.entry(408, "DEADLINE_EXCEEDED")),
              Map.entry(ServeException.Reason.METHOD_NOT_ALLOWED, Map.entry(405, "UNIMPLEMENTED")),
              Map.entry(ServeException.Reason.INTERNAL, Map.entry(500, "INTERNAL"))));

  @Test
  void everyReasonIsInTheTable() {
    assertEquals(Set.of(ServeException.Reason.values()), TABLE.keySet());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @EnumSource(ServeException.Reason.class)
  void eachReasonHasItsStatusAndCode(ServeException.Reason reason) throws IOException {
    int status = TABLE.get(reason).getKey();
    String code = TABLE.get(reason).getValue();
    ServeException e = new ServeException(reason, "what went wrong");
    Response r = Response.error(e);
    assertAll(
        () -> assertEquals(status, HttpStatus.of(reason), "status"),
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
  void theFactoriesGiveTheirReasons() {
    assertEquals(ServeException.Reason.BAD_REQUEST, ServeException.badRequest("x").reason());
    assertEquals(ServeException.Reason.NOT_FOUND, ServeException.notFound("x").reason());
    assertEquals(ServeException.Reason.TOO_LARGE, ServeException.tooLarge("x").reason());
  }

  @Test
  void errorBodiesAreJsonWhateverTheMessageHolds() throws IOException {
    String nasty = "quote \" backslash \\ newline \n tab \t unicode é ✓ </script>";
    Response r = Response.error(ServeException.badRequest(nasty));
    assertEquals(
        Map.of("error", nasty), JSON.std.mapFrom(new String(r.body(), StandardCharsets.UTF_8)));
  }

  static final CompletableFuture<Scheduler.Result> NEVER = new CompletableFuture<>();

  static Stream<Arguments> runOutcomes() {
    return Stream.of(
        // what the run did, the status, the code, the message
        Arguments.of(
            "failed with a 503",
            CompletableFuture.failedFuture(
                new ServeException(ServeException.Reason.QUEUE_FULL, "queue full")),
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
            "the session run failed"),
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
  void aRunsFailureBecomesItsServeException(
      String what, CompletableFuture<Scheduler.Result> f, int status, String code, String message) {
    ServeException e =
        assertThrows(ServeException.class, () -> Inference.await(f, System.nanoTime(), 0));
    assertAll(
        () -> assertEquals(status, HttpStatus.of(e.reason()), e.getMessage()),
        () -> assertEquals(code, e.code()),
        () -> assertEquals(message, e.getMessage()));
  }

  @Test
  void anUnexpectedRunFailureKeepsItsCauseForTheLogOnly() {
    IllegalStateException bug = new IllegalStateException("closed session");
    ServeException e =
        assertThrows(
            ServeException.class,
            () -> Inference.await(CompletableFuture.failedFuture(bug), System.nanoTime(), 0));
    assertSame(bug, e.getCause());
    assertEquals("the session run failed", e.getMessage(), "no detail in the message");
  }

  @Test
  void aTimedOutRunIsCancelledSoTheBatcherSkipsIt() {
    CompletableFuture<Scheduler.Result> f = new CompletableFuture<>();
    // the deadline counts from the request's start, not from the wait
    long started = System.nanoTime() - 10_000_000_000L;
    ServeException e = assertThrows(ServeException.class, () -> Inference.await(f, started, 5_000));
    assertEquals(504, HttpStatus.of(e.reason()));
    assertTrue(f.isCancelled(), "the abandoned run is cancelled");
  }

  @Test
  void anAnsweredRunIsReturnedAndAServeExceptionIsPassedOnAsItIs() {
    Scheduler.Result ok = new Scheduler.Result(TestOutputs.rows("p", new float[] {1}, 2), 5);
    assertSame(ok, Inference.await(CompletableFuture.completedFuture(ok), System.nanoTime(), 1000));
    ServeException full = new ServeException(ServeException.Reason.QUEUE_FULL, "full");
    assertSame(
        full,
        assertThrows(
            ServeException.class,
            () -> Inference.await(CompletableFuture.failedFuture(full), System.nanoTime(), 1000)));
  }

  @Test
  void anInterruptedWaitIs503AndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      ServeException e =
          assertThrows(
              ServeException.class,
              () -> Inference.await(new CompletableFuture<>(), System.nanoTime(), 10_000));
      assertEquals(503, HttpStatus.of(e.reason()));
      assertEquals("interrupted", e.getMessage());
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
    } finally {
      Thread.interrupted();
    }
  }

  static Stream<Arguments> counted() {
    return Stream.of(
        // what the route does, the status label it is counted under
        Arguments.of("answers", (Inference.Handler) t -> Response.empty(200), "OK"),
        Arguments.of(
            "is a 404",
            (Inference.Handler)
                t -> {
                  throw ServeException.notFound("x");
                },
            "NOT_FOUND"),
        Arguments.of(
            "is a 400",
            (Inference.Handler)
                t -> {
                  throw ServeException.badRequest("x");
                },
            "INVALID_ARGUMENT"),
        Arguments.of(
            "times out",
            (Inference.Handler)
                t -> {
                  throw new ServeException(ServeException.Reason.DEADLINE, "x");
                },
            "DEADLINE_EXCEEDED"),
        Arguments.of(
            "fails unexpectedly",
            (Inference.Handler)
                t -> {
                  throw new IllegalStateException("bug");
                },
            "INTERNAL"));
  }

  @ParameterizedTest(name = "[{index}] a request that {0} is counted as {2}")
  @MethodSource("counted")
  void requestsAreCountedByTheirCode(String what, Inference.Handler h, String status) {
    Metrics m = new Metrics();
    try {
      Inference.counted(m, "mlp", "predict", h);
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
  void aServeExceptionFromARouteIsPassedOnUnchanged() {
    ServeException e = ServeException.notFound("gone");
    assertSame(
        e,
        assertThrows(
            ServeException.class,
            () ->
                Inference.counted(
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
            if (RequestIds.HEADER.equals(key)) {
              return null; // read before any route runs
            }
            throw failure;
          }

          @Override
          public Set<Map.Entry<String, List<String>>> entrySet() {
            return Set.of();
          }
        };
    return new Request("POST", "/v1/models/mlp:predict", null, headers, new byte[0]);
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        // what fails, what the client is told, the detail only the log holds
        Arguments.of(
            new UncheckedIOException(new IOException("disk gone")), "internal error", "disk gone"),
        Arguments.of(
            new ServeException(
                ServeException.Reason.INTERNAL,
                "the session run failed",
                new IllegalStateException("closed session")),
            "the session run failed",
            "closed session"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("faults")
  void aFaultIsA500WithARequestIdAndOnlyTheLogHasTheDetail(
      RuntimeException failure, String told, String detail, @TempDir Path models) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ModelServer s =
        new ModelServer(
            ServerFixture.config(models), new PrintStream(log, true, StandardCharsets.UTF_8));
    Response r = s.handle(failingHeaders(failure));
    String body = new String(r.body(), StandardCharsets.UTF_8);
    String logged = log.toString(StandardCharsets.UTF_8);
    Matcher m =
        Pattern.compile(
                "\\{\"error\": \""
                    + Pattern.quote(told)
                    + " \\(request id ([0-9a-f-]{36}); the server's log has the detail\\)\"\\}\n")
            .matcher(body);
    assertAll(
        () -> assertEquals(500, r.status()),
        () -> assertTrue(m.matches(), body),
        () -> assertFalse(body.contains(detail), "the client sees no detail: " + body),
        () ->
            assertTrue(
                logged.startsWith(
                    "internal error "
                        + (m.matches() ? m.group(1) : "?")
                        + " answering POST /v1/models/mlp:predict: "
                        + told
                        + "\n"),
                logged),
        () -> assertTrue(logged.contains(detail), "the log has the detail: " + logged),
        () ->
            assertEquals(
                m.matches() ? m.group(1) : "?",
                r.requestId(),
                "the 500 names the id its X-Request-Id header (and the access log) carry"));
  }

  @Test
  void eachFaultHasItsOwnRequestId(@TempDir Path models) {
    ModelServer s =
        new ModelServer(
            ServerFixture.config(models),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    RuntimeException bug = new IllegalStateException("bug");
    assertNotEquals(
        new String(s.handle(failingHeaders(bug)).body(), StandardCharsets.UTF_8),
        new String(s.handle(failingHeaders(bug)).body(), StandardCharsets.UTF_8));
  }
}
