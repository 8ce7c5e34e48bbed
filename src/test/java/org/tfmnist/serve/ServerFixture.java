package org.tfmnist.serve;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A {@link ModelServer} on 127.0.0.1 (a free port) over a models directory, and a client. */
final class ServerFixture implements AutoCloseable {

  /** A response: status, body and the version header. */
  record Reply(int status, String body, String version, HttpResponse<String> raw) {
    Map<String, Object> json() {
      try {
        return JSON.std.mapFrom(body);
      } catch (IOException e) {
        throw new UncheckedIOException(body, e);
      }
    }

    String error() {
      return String.valueOf(json().get("error"));
    }
  }

  /**
   * Every request's limit: a server that never answers fails the test instead of hanging it. Far
   * above any answer's time on a loaded machine; well below the test classes' own limits.
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  final ModelServer server;
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  ServerFixture(ServeConfig cfg) throws IOException {
    this(cfg, null);
  }

  /** A server writing its access log to {@code accessLog} (null: none). */
  ServerFixture(ServeConfig cfg, AccessLog accessLog) throws IOException {
    server = new ModelServer(cfg, new PrintStream(log, true, StandardCharsets.UTF_8), accessLog);
    server.start();
  }

  /** Settings as the CLI's defaults, on a free port of 127.0.0.1. */
  static ServeConfig config(Path models) {
    return new ServeConfig(
        models,
        "127.0.0.1",
        0,
        true,
        64,
        0,
        64,
        1,
        1,
        1000,
        16L << 20,
        30_000,
        false,
        5_000,
        64,
        30_000,
        10_000,
        1L << 30,
        null);
  }

  static ServeConfig with(ServeConfig c, Map<String, Object> changes) {
    Object[] v = {
      c.modelsDir(),
      c.host(),
      c.port(),
      c.batching(),
      c.maxBatchSize(),
      c.batchTimeoutMicros(),
      c.maxEnqueuedBatches(),
      c.numBatchThreads(),
      c.numVersions(),
      c.pollMillis(),
      c.maxBodyBytes(),
      c.requestTimeoutMillis(),
      c.cors(),
      c.graceMillis(),
      c.httpThreads(),
      c.idleTimeoutMillis(),
      c.maxConnections(),
      c.maxBodyMemory(),
      c.session()
    };
    List<String> names =
        List.of(
            "modelsDir",
            "host",
            "port",
            "batching",
            "maxBatchSize",
            "batchTimeoutMicros",
            "maxEnqueuedBatches",
            "numBatchThreads",
            "numVersions",
            "pollMillis",
            "maxBodyBytes",
            "requestTimeoutMillis",
            "cors",
            "graceMillis",
            "httpThreads",
            "idleTimeoutMillis",
            "maxConnections",
            "maxBodyMemory",
            "session");
    changes.forEach(
        (k, x) -> {
          int i = names.indexOf(k);
          if (i < 0) {
            throw new IllegalArgumentException(k);
          }
          v[i] = x;
        });
    return new ServeConfig(
        (Path) v[0],
        (String) v[1],
        (Integer) v[2],
        (Boolean) v[3],
        (Integer) v[4],
        ((Number) v[5]).longValue(),
        (Integer) v[6],
        (Integer) v[7],
        (Integer) v[8],
        ((Number) v[9]).longValue(),
        ((Number) v[10]).longValue(),
        ((Number) v[11]).longValue(),
        (Boolean) v[12],
        ((Number) v[13]).longValue(),
        (Integer) v[14],
        ((Number) v[15]).longValue(),
        (Integer) v[16],
        ((Number) v[17]).longValue(),
        null);
  }

  URI uri(String path) {
    return server.url().resolve(path);
  }

  /** A request to {@code path} with the request timeout set. */
  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT);
  }

  Reply get(String path) {
    return send(request(path).GET().build());
  }

  Reply post(String path, String json) {
    return post(path, json.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  Reply post(String path, byte[] body, String contentType, String... headers) {
    HttpRequest.Builder b =
        request(path)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", contentType);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  /** Sends {@code r}, with the request timeout added where its builder set none. */
  Reply send(HttpRequest r) {
    if (r.timeout().isEmpty()) {
      r = HttpRequest.newBuilder(r, (name, value) -> true).timeout(REQUEST_TIMEOUT).build();
    }
    try {
      HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
      return new Reply(
          res.statusCode(),
          res.body(),
          res.headers().firstValue("X-Model-Version").orElse(null),
          res);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.shutdown();
  }

  /** Images as TF Serving's row form: {"instances": [[[...28], ...28], ...]}. */
  static String instances(float[][] images) {
    return "{\"instances\": " + nested(images) + "}";
  }

  /** Images as nested lists [n][28][28]. */
  static String nested(float[][] images) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < images.length; i++) {
      sb.append(i > 0 ? ", " : "").append('[');
      for (int y = 0; y < 28; y++) {
        sb.append(y > 0 ? ", " : "").append('[');
        for (int x = 0; x < 28; x++) {
          sb.append(x > 0 ? ", " : "").append(images[i][y * 28 + x]);
        }
        sb.append(']');
      }
      sb.append(']');
    }
    return sb.append(']').toString();
  }
}
