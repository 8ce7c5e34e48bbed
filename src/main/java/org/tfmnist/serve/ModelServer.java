package org.tfmnist.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code tf-mnist serve}: TF Serving's REST API for every model under a directory, a picture
 * endpoint, the drawing page, health and Prometheus metrics. {@link HttpFront} speaks HTTP; this
 * class routes a complete {@link Request} to its {@link Response}.
 *
 * <p>Routes: {@code GET /} (the drawing page), {@code GET /v1/models} (every model and its
 * versions), TF Serving's {@code GET /v1/models/{m}[/versions/{v}][/metadata]} and {@code POST
 * /v1/models/{m}[/versions/{v}]:predict}, {@code POST ...:recognize} (a picture), {@code GET
 * /healthz}, {@code GET /readyz}, {@code GET /monitoring/prometheus/metrics}.
 *
 * <p>Shutdown ({@link #shutdown}) is graceful: readiness turns 503, the listening socket closes,
 * requests in flight are answered (with {@code Connection: close}) within the grace period, then
 * the models are closed.
 */
public final class ModelServer implements AutoCloseable {

  /** How long no request must be in flight before a shutdown closes the models. */
  private static final long QUIET_MILLIS = 200;

  private final ServeConfig cfg;
  private final PrintStream log;
  private final Metrics metrics = new Metrics();
  private final ModelRegistry registry;
  private final RestApi rest;
  private final PictureApi pictures;
  private final OpenInferenceApi v2;
  private final WebPage page = new WebPage();
  private final HttpFront http;
  private final AccessLog accessLog;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile boolean draining;

  public ModelServer(ServeConfig cfg, PrintStream log) {
    this(cfg, log, null);
  }

  /** A server that writes a line a request to {@code accessLog} (null: none), and closes it. */
  public ModelServer(ServeConfig cfg, PrintStream log, AccessLog accessLog) {
    this.cfg = cfg;
    this.log = log;
    this.accessLog = accessLog;
    this.registry = new ModelRegistry(cfg, metrics, log);
    Inference inference = new Inference(registry, metrics, cfg.requestTimeoutMillis());
    this.rest = new RestApi(registry, inference);
    this.pictures = new PictureApi(inference);
    this.v2 = new OpenInferenceApi(registry, inference, this::notReady, this::draining);
    this.http = new HttpFront(cfg, this);
  }

  /**
   * Takes the port first (a port in use fails at once, with nothing loaded), loads every model (a
   * version that fails is reported), then serves.
   */
  public void start() throws IOException {
    http.bind();
    try {
      registry.start();
      http.start();
    } catch (IOException | RuntimeException e) {
      http.stop();
      throw e;
    }
  }

  /** The server's address, e.g. http://127.0.0.1:8501/. */
  public URI url() {
    InetSocketAddress a = new InetSocketAddress(cfg.host(), http.port());
    String host =
        a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /** The models served and their newest version, for the start-up lines. */
  public Map<String, List<Long>> served() {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    for (String name : registry.names()) {
      out.put(name, registry.live(name).stream().map(mv -> mv.version).toList());
    }
    return out;
  }

  Metrics metrics() {
    return metrics;
  }

  ModelRegistry registry() {
    return registry;
  }

  /** Requests whose head has arrived and whose answer is not yet written. */
  int inFlight() {
    return http.inFlight();
  }

  /**
   * Answers one complete request (package-private: unit tests route a request in memory). A failure
   * is answered by {@link Response#error}; a fault (an unexpected exception, or a failure with a
   * cause) is logged with a request id, and the client gets that id instead of the detail.
   */
  Response handle(Request req) {
    String id = RequestIds.of(req.header(RequestIds.HEADER));
    if (cfg.cors() && req.method().equals("OPTIONS")) {
      return withCors(Response.empty(204), id);
    }
    Response r;
    try {
      r = route(req);
    } catch (ServeException e) {
      r = e.getCause() == null ? Response.error(e) : fault(req, id, e.getMessage(), e.getCause());
    } catch (RuntimeException e) {
      r = fault(req, id, "internal error", e);
    }
    return withCors(r, id);
  }

  /** Logs {@code cause} under the request's id; the client's 500 names the id, not the cause. */
  private Response fault(Request req, String id, String what, Throwable cause) {
    log.println("internal error " + id + " answering " + req.line() + ": " + what);
    cause.printStackTrace(log);
    log.flush();
    return Response.error(
        new ServeException(
            ServeException.Reason.INTERNAL,
            what + " (request id " + id + "; the server's log has the detail)"));
  }

  /**
   * The answer to a request refused before it was complete (its body too large, or too slow);
   * {@code sentId} is its {@code X-Request-Id}, or null.
   */
  Response refuse(ServeException e, String sentId) {
    return withCors(Response.error(e), RequestIds.of(sentId));
  }

  /** Where a line a request goes, or null. */
  AccessLog accessLog() {
    return accessLog;
  }

  /** Whether a shutdown is draining the requests in flight (their answers close the connection). */
  boolean draining() {
    return draining;
  }

  private Response withCors(Response r, String id) {
    r = r.withHeader(RequestIds.HEADER, id);
    if (!cfg.cors()) {
      return r;
    }
    return r.withHeader("Access-Control-Allow-Origin", "*")
        .withHeader("Access-Control-Allow-Methods", "POST, GET")
        .withHeader(
            "Access-Control-Allow-Headers",
            "Content-Type, Content-Encoding, "
                + InferResponse.HEADER_LENGTH
                + ", "
                + RequestIds.HEADER)
        .withHeader(
            "Access-Control-Expose-Headers",
            InferResponse.HEADER_LENGTH + ", " + RequestIds.HEADER + ", X-Model-Version");
  }

  private Response route(Request req) {
    String method = req.method();
    String path = req.path();
    if (path.equals("/v2") || path.startsWith("/v2/")) {
      V2Route r = V2Route.parse(path);
      if (r == null) {
        throw ServeException.notFound("no such route of the Open Inference Protocol: " + path);
      }
      if (!r.allows(method)) {
        throw new ServeException(
            ServeException.Reason.METHOD_NOT_ALLOWED,
            method
                + " "
                + path
                + ": only "
                + (r.kind() == V2Route.Kind.INFER ? "POST" : "GET")
                + " is allowed here");
      }
      return v2.handle(
          r, () -> Bodies.read(req, cfg.maxBodyBytes()), req.header(InferResponse.HEADER_LENGTH));
    }
    if (path.regionMatches(true, 0, "/v1/", 0, 4)) {
      if (path.equalsIgnoreCase("/v1/models") && isGet(method)) {
        return rest.models();
      }
      Route r = Route.parse(method, path);
      if (r == null) {
        throw ServeException.badRequest("Malformed request: " + method + " " + path);
      }
      if (r.verb().equals(Route.RECOGNIZE)) {
        return pictures.recognize(body(req, r));
      }
      if (r.verb().equals(Route.PREDICT)
          || r.verb().equals("classify")
          || r.verb().equals("regress")) {
        return rest.predict(body(req, r));
      }
      return r.verb().equals(Route.METADATA) ? rest.metadata(r) : rest.status(r);
    }
    if (!isGet(method)) {
      throw new ServeException(
          ServeException.Reason.METHOD_NOT_ALLOWED,
          method + " " + path + ": only GET is allowed here");
    }
    return switch (path) {
      case "/healthz" -> Response.json(200, Map.of("status", "ok"));
      case "/readyz" -> readiness();
      case "/monitoring/prometheus/metrics" ->
          new Response(
              200,
              "text/plain; version=0.0.4; charset=utf-8",
              metrics.render().getBytes(StandardCharsets.UTF_8));
      default -> page.get(path);
    };
  }

  /**
   * What a model route is given: the route, the Content-Type and the body, read within the limit.
   */
  private RouteRequest body(Request req, Route r) {
    return new RouteRequest(r, req.header("Content-Type"), Bodies.read(req, cfg.maxBodyBytes()));
  }

  private Response readiness() {
    String why = notReady();
    if (why != null) {
      return Response.json(503, Map.of("status", why));
    }
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("status", "ready");
    ready.put("models", registry.names().size());
    return Response.json(200, ready);
  }

  /**
   * Why the server cannot answer every model now (shutting down, no models, a model with no version
   * up), or null when it can: {@code /readyz} and v2's {@code /v2/health/ready} alike.
   */
  private String notReady() {
    if (draining) {
      return "shutting down";
    }
    if (registry.names().isEmpty()) {
      return "no models under " + cfg.modelsDir();
    }
    List<String> down = registry.unavailable();
    return down.isEmpty() ? null : "not available: " + String.join(", ", down);
  }

  private static boolean isGet(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  /**
   * Graceful shutdown: readiness turns 503 and the listening socket closes at once; requests in
   * flight are answered within the grace period; then every model is closed.
   */
  public void shutdown() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    draining = true;
    http.closeListener();
    // wait until no request has been in flight for a moment: a client may still send one on a
    // kept-alive connection that has not yet read our Connection: close
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cfg.graceMillis());
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      if (inFlight() > 0) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
        break;
      }
      sleep(5);
    }
    int cut = inFlight();
    if (cut > 0) {
      log.println("grace period over: " + cut + " requests still in flight are cut");
    }
    http.stop();
    registry.close();
    if (accessLog != null) {
      accessLog.close();
      accessLog.reportDropped(log);
    }
    stopped.countDown();
  }

  /** Blocks until {@link #shutdown} has finished. */
  public void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown();
  }
}
