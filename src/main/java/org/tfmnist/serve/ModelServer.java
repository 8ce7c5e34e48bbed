package org.tfmnist.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tf-mnist serve}: TF Serving's REST API for every model under a directory, a picture
 * endpoint, the drawing page, health and Prometheus metrics, on the JDK's HTTP server.
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
  private final WebPage page = new WebPage();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private HttpServer server;
  private ThreadPoolExecutor executor;
  private volatile boolean draining;

  public ModelServer(ServeConfig cfg, PrintStream log) {
    this.cfg = cfg;
    this.log = log;
    this.registry = new ModelRegistry(cfg, metrics, log);
    this.rest = new RestApi(registry, metrics, cfg.requestTimeoutMillis());
    this.pictures = new PictureApi(registry, metrics, rest);
  }

  /** Loads every model (a version that fails is reported), then listens. */
  public void start() throws IOException {
    // TCP_NODELAY: without it, small responses wait for Nagle's algorithm (40 ms stalls)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // a client that sends its request (or reads its answer) slower than the request timeout
    // allows is disconnected, so slow clients cannot hold every request thread
    String slow = Long.toString(Math.max(1, (cfg.requestTimeoutMillis() + 5999) / 1000));
    System.setProperty("sun.net.httpserver.maxReqTime", slow);
    System.setProperty("sun.net.httpserver.maxRspTime", slow);
    registry.start();
    executor =
        new ThreadPoolExecutor(
            cfg.httpThreads(),
            cfg.httpThreads(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "http");
              t.setDaemon(true);
              return t;
            });
    server = HttpServer.create(new InetSocketAddress(cfg.host(), cfg.port()), 1024);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The server's address, e.g. http://127.0.0.1:8501/. */
  public URI url() {
    InetSocketAddress a = server.getAddress();
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

  /** Answers one exchange (package-private: unit tests route an in-memory exchange). */
  void handle(HttpExchange ex) {
    inFlight.incrementAndGet();
    long t0 = System.nanoTime();
    try {
      Headers h = ex.getResponseHeaders();
      if (cfg.cors()) {
        h.set("Access-Control-Allow-Origin", "*");
        h.set("Access-Control-Allow-Methods", "POST, GET");
        h.set("Access-Control-Allow-Headers", "Content-Type, Content-Encoding");
        if (ex.getRequestMethod().equals("OPTIONS")) {
          send(ex, Response.empty(204));
          return;
        }
      }
      Response r;
      try {
        r = route(ex);
      } catch (HttpError e) {
        r = Response.error(e);
      } catch (RuntimeException e) {
        log.println(
            "internal error answering " + ex.getRequestMethod() + " " + ex.getRequestURI() + ":");
        e.printStackTrace(log);
        r = Response.error(HttpError.internal("internal error: " + e));
      }
      send(ex, r);
    } catch (IOException e) {
      // the client went away; nothing to answer
    } finally {
      ex.close();
      inFlight.decrementAndGet();
    }
  }

  private Response route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    if (path.regionMatches(true, 0, "/v1/", 0, 4)) {
      if (path.equalsIgnoreCase("/v1/models") && isGet(method)) {
        return rest.models();
      }
      Route r = Route.parse(method, path);
      if (r == null) {
        throw HttpError.badRequest("Malformed request: " + method + " " + path);
      }
      if (r.verb().equals(Route.RECOGNIZE)) {
        return pictures.recognize(ex, r, Bodies.read(ex, cfg.maxBodyBytes()));
      }
      if (r.verb().equals(Route.PREDICT)
          || r.verb().equals("classify")
          || r.verb().equals("regress")) {
        return rest.predict(r, Bodies.read(ex, cfg.maxBodyBytes()));
      }
      return r.verb().equals(Route.METADATA) ? rest.metadata(r) : rest.status(r);
    }
    if (!isGet(method)) {
      return Response.error(
          new HttpError(405, "UNIMPLEMENTED", method + " " + path + ": only GET is allowed here"));
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

  private Response readiness() {
    if (draining) {
      return Response.json(503, Map.of("status", "shutting down"));
    }
    List<String> names = registry.names();
    List<String> down = registry.unavailable();
    if (names.isEmpty()) {
      return Response.json(503, Map.of("status", "no models under " + cfg.modelsDir()));
    }
    if (!down.isEmpty()) {
      return Response.json(503, Map.of("status", "not available: " + String.join(", ", down)));
    }
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("status", "ready");
    ready.put("models", names.size());
    return Response.json(200, ready);
  }

  private static boolean isGet(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  private void send(HttpExchange ex, Response r) throws IOException {
    Headers h = ex.getResponseHeaders();
    // decided as the answer goes out, not as the request came in: a request in flight when the
    // drain began is answered during it, and its client must not send another on this connection
    if (draining) {
      h.set("Connection", "close");
    }
    if (r.contentType() != null) {
      h.set("Content-Type", r.contentType());
    }
    r.headers().forEach(h::set);
    boolean head = ex.getRequestMethod().equals("HEAD");
    if (r.body().length == 0 || head) {
      ex.sendResponseHeaders(r.status(), -1);
      return;
    }
    ex.sendResponseHeaders(r.status(), r.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(r.body());
    }
  }

  /**
   * Graceful shutdown: readiness turns 503 and the listening socket closes at once; requests in
   * flight are answered within the grace period; then every model is closed.
   */
  public void shutdown() {
    if (draining) {
      awaitStopped();
      return;
    }
    draining = true;
    Thread stopper =
        new Thread(
            () -> server.stop((int) Math.max(1, (cfg.graceMillis() + 999) / 1000)), "http-stop");
    stopper.setDaemon(true);
    stopper.start();
    // wait until no request has been in flight for a moment: a client may still send one on a
    // kept-alive connection that has not yet read our Connection: close
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cfg.graceMillis());
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      if (inFlight.get() > 0) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
        break;
      }
      sleep(5);
    }
    int cut = inFlight.get();
    if (cut > 0) {
      log.println("grace period over: " + cut + " requests still in flight are cut");
    }
    executor.shutdown();
    registry.close();
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
