package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which handler answers which method and path, and with which status and error, through {@link
 * ModelServer#handle} on an in-memory request: a server that is not listening and serves no model,
 * so every model route reaches its handler and gets that handler's own 404 (no TensorFlow needed).
 */
@Timeout(30)
class ServerRoutingTest {

  @TempDir static Path tmp;
  static ModelServer server;
  static ModelServer corsServer;
  static final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeAll
  static void create() throws IOException {
    Path models = Files.createDirectories(tmp.resolve("models"));
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    ServeConfig cfg = ServerFixture.with(ServerFixture.config(models), Map.of("maxBodyBytes", 64));
    server = new ModelServer(cfg, out);
    corsServer = new ModelServer(ServerFixture.with(cfg, Map.of("cors", true)), out);
  }

  static Response call(ModelServer s, String method, String path, String... headers) {
    return s.handle(FakeRequest.of(method, path, "{}".getBytes(StandardCharsets.UTF_8), headers));
  }

  static String text(Response r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** The 404 every model route gets from its handler when the model is not served. */
  @ParameterizedTest(name = "[{index}] {0} {1} -> {2} {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          GET  | /v1/models/mlp                     | 404 | Could not find any versions of model mlp
          HEAD | /v1/models/mlp                     | 404 |
          GET  | /v1/models/mlp/versions/3          | 404 | Could not find any versions of model mlp
          GET  | /V1/Models/mlp                     | 404 | Could not find any versions of model mlp
          GET  | /v1/models/mlp/metadata            | 404 | Servable not found for request: Latest(mlp)
          GET  | /v1/models/mlp/versions/3/metadata | 404 | Servable not found for request: Specific(mlp, 3)
          POST | /v1/models/mlp:predict             | 404 | Servable not found for request: Latest(mlp)
          POST | /v1/models/mlp/versions/2:predict  | 404 | Servable not found for request: Specific(mlp, 2)
          POST | /v1/models/mlp:classify            | 404 | Servable not found for request: Latest(mlp)
          POST | /v1/models/mlp:regress             | 404 | Servable not found for request: Latest(mlp)
          POST | /v1/models/mlp:recognize           | 404 | Servable not found for request: Latest(mlp)
          GET  | /v1/models/mlp/labels/stable       | 400 | Unrecognized servable version label: stable (this server defines no labels; use /versions/N)
          GET  | /v1/models/mlp/labels/a/metadata   | 400 | Unrecognized servable version label: a (this server defines no labels; use /versions/N)
          POST | /v1/models/mlp/labels/a:predict    | 400 | Unrecognized servable version label: a (this server defines no labels; use /versions/N)
          POST | /v1/models/mlp/labels/a:recognize  | 400 | Unrecognized servable version label: a (this server defines no labels; use /versions/N)
          POST | /v1/models/mlp:explain             | 400 | Malformed request: POST /v1/models/mlp:explain
          GET  | /v1/models/mlp:predict             | 400 | Malformed request: GET /v1/models/mlp:predict
          POST | /v1/models/mlp                     | 400 | Malformed request: POST /v1/models/mlp
          PUT  | /v1/models/mlp:predict             | 400 | Malformed request: PUT /v1/models/mlp:predict
          POST | /v1/models                         | 400 | Malformed request: POST /v1/models
          GET  | /v1/models/                        | 400 | Malformed request: GET /v1/models/
          GET  | /v1/models/mlp/                    | 400 | Malformed request: GET /v1/models/mlp/
          GET  | /v1/models/mlp/versions/x          | 400 | Malformed request: GET /v1/models/mlp/versions/x
          GET  | /v1/other                          | 400 | Malformed request: GET /v1/other
          POST | /healthz                           | 405 | POST /healthz: only GET is allowed here
          PUT  | /                                  | 405 | PUT /: only GET is allowed here
          OPTIONS | /v1/models/mlp                  | 400 | Malformed request: OPTIONS /v1/models/mlp
          OPTIONS | /healthz                        | 405 | OPTIONS /healthz: only GET is allowed here
          GET  | /nothing.html                      | 404 | Not found: /nothing.html
          GET  | /healthz/                          | 404 | Not found: /healthz/
          GET  | /Index.html                        | 404 | Not found: /Index.html
          GET  | /web/app.js                        | 404 | Not found: /web/app.js
          GET  | /readyz                            | 503 |
          GET  | /v2/models/mlp                     | 404 | Servable not found for request: Latest(mlp)
          POST | /v2/models/mlp/versions/3/infer    | 404 | Servable not found for request: Specific(mlp, 3)
          GET  | /v2/models/mlp/infer               | 405 | GET /v2/models/mlp/infer: only POST is allowed here
          POST | /v2/health/live                    | 405 | POST /v2/health/live: only GET is allowed here
          GET  | /v2/models                         | 404 | no such route of the Open Inference Protocol: /v2/models
          GET  | /v2/models/mlp/versions/1/stats    | 404 | no such route of the Open Inference Protocol: /v2/models/mlp/versions/1/stats
          """)
  void routesAnswerWithTheirHandlersStatusAndError(
      String method, String path, int status, String error) {
    Response r = call(server, method, path);
    assertAll(
        () -> assertEquals(status, r.status(), method + " " + path + ": " + text(r)),
        () -> assertEquals("application/json", r.contentType()),
        () -> {
          if (error != null) {
            assertEquals(new String(expected(error), StandardCharsets.UTF_8), text(r));
          }
        });
  }

  private static byte[] expected(String error) {
    return Response.error(ServeException.badRequest(error)).body();
  }

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2} {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          GET  | /                              | 200 | text/html; charset=utf-8           | <html
          GET  | /index.html                    | 200 | text/html; charset=utf-8           | <html
          GET  | /app.js                        | 200 | text/javascript; charset=utf-8     | drawing page
          GET  | /style.css                     | 200 | text/css; charset=utf-8            | {
          GET  | /healthz                       | 200 | application/json                   | {"status": "ok"}
          GET  | /readyz                        | 503 | application/json                   | {"status": "no models under
          GET  | /v1/models                     | 200 | application/json                   | "models"
          GET  | /V1/MODELS                     | 200 | application/json                   | "models"
          GET  | /monitoring/prometheus/metrics | 200 | text/plain; version=0.0.4; charset=utf-8 | # TYPE :tensorflow:serving:request_count counter
          """)
  void pagesAndProbesAnswerWithTheirContentType(
      String method, String path, int status, String type, String bodyHolds) {
    Response r = call(server, method, path);
    assertAll(
        () -> assertEquals(status, r.status(), method + " " + path + ": " + text(r)),
        () -> assertEquals(type, r.contentType()),
        () -> assertTrue(text(r).contains(bodyHolds), "body of " + path + ": " + text(r)));
  }

  /** HEAD routes as GET does; the HTTP layer leaves the body out (HttpFrontTest). */
  @Test
  void headRoutesAsGet() {
    Response r = call(server, "HEAD", "/healthz");
    assertEquals(200, r.status());
    assertEquals(text(call(server, "GET", "/healthz")), text(r));
  }

  /** Body limits apply before the model is looked up: a 413 or 415 needs no model. */
  @ParameterizedTest(name = "[{index}] {0} with {1}: {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /v1/models/mlp:predict   | Content-Length   | 1000 | 413 | the request body (1000 bytes) is larger than this server's limit of 64 bytes
          /v1/models/mlp:recognize | Content-Length   | 65   | 413 | the request body (65 bytes) is larger than this server's limit of 64 bytes
          /v1/models/mlp:predict   | Content-Encoding | br   | 415 | Content-Encoding 'br' is not supported (send gzip or no encoding)
          /v1/models/mlp:predict   | Content-Length   | x    | 400 | Malformed request: Content-Length 'x'
          /v1/models/mlp:predict   | Content-Length   | 64   | 404 | Servable not found for request: Latest(mlp)
          """)
  void bodiesAreCheckedBeforeTheModel(
      String path, String header, String value, int status, String error) {
    Response r = call(server, "POST", path, header, value);
    assertEquals(status, r.status(), text(r));
    assertEquals(new String(expected(error), StandardCharsets.UTF_8), text(r));
  }

  @Test
  void errorsAreCountedByModelAndTensorFlowCode() {
    call(server, "POST", "/v1/models/counted:predict");
    call(server, "POST", "/v1/models/counted/labels/x:predict");
    String metrics = text(call(server, "GET", "/monitoring/prometheus/metrics"));
    assertTrue(
        metrics.contains(
            ":tensorflow:serving:request_count{model_name=\"counted\",status=\"NOT_FOUND\"} 1\n"),
        metrics);
    assertTrue(
        metrics.contains(
            ":tensorflow:serving:request_count{model_name=\"counted\",status=\"INVALID_ARGUMENT\"}"
                + " 1\n"),
        metrics);
  }

  @Test
  void corsIsSentOnlyWhenAskedForAndAnswersPreflights() {
    Response plain = call(server, "GET", "/healthz");
    assertEquals(null, plain.headers().get("Access-Control-Allow-Origin"));
    Response pre = call(corsServer, "OPTIONS", "/v1/models/mlp:predict");
    assertEquals(204, pre.status());
    assertEquals(0, pre.body().length);
    assertEquals("*", pre.headers().get("Access-Control-Allow-Origin"));
    assertEquals("POST, GET", pre.headers().get("Access-Control-Allow-Methods"));
    Response err = call(corsServer, "POST", "/v1/models/mlp:predict");
    assertEquals(404, err.status());
    assertEquals("*", err.headers().get("Access-Control-Allow-Origin"));
    Response refused = corsServer.refuse(ServeException.tooLarge("too large"), null);
    assertEquals("*", refused.headers().get("Access-Control-Allow-Origin"));
  }
}
