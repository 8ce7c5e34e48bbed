package org.tfmnist.serve;

import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one place that knows the HTTP stack (Jetty 12). Jetty parses request heads without holding a
 * thread; the body is read as it arrives, within the body limit (a larger Content-Length is refused
 * before any of it is read); only a complete request goes to one of {@code httpThreads} workers,
 * which runs the route (and may wait for its batch); the answer is written without blocking. So a
 * client that dawdles over its request, or over reading the answer, holds a connection but no
 * thread, until the idle timeout closes it; and the connection limit bounds how many it can hold.
 */
final class HttpFront {

  private final ServeConfig cfg;
  private final ModelServer routes;
  private final Server jetty;
  private final ServerConnector connector;
  private final ThreadPoolExecutor workers;
  private final BodyBudget bodies;

  /** The request attribute holding {@link #arrival}. */
  private static final String ARRIVED = "tfmnist.arrived";

  /** Requests from their head's arrival until their answer is written (or the client is gone). */
  private final AtomicInteger inFlight = new AtomicInteger();

  HttpFront(ServeConfig cfg, ModelServer routes) {
    this.cfg = cfg;
    this.routes = routes;
    this.bodies = new BodyBudget(cfg.maxBodyMemory());
    QueuedThreadPool io = new QueuedThreadPool();
    io.setName("http-io");
    io.setDaemon(true);
    jetty = new Server(io);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(cfg.host());
    connector.setPort(cfg.port());
    connector.setAcceptQueueSize(1024);
    // without it, a small response waits for Nagle's algorithm and the client's delayed ACK
    connector.setAcceptedTcpNoDelay(true);
    connector.setIdleTimeout(cfg.idleTimeoutMillis());
    jetty.addConnector(connector);
    jetty.addBean(new NetworkConnectionLimit(cfg.maxConnections(), connector));
    jetty.setHandler(new Front());
    jetty.setErrorHandler(HttpFront::jettyError);
    workers =
        new ThreadPoolExecutor(
            cfg.httpThreads(),
            cfg.httpThreads(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.named("http"));
  }

  /** Takes the port (nothing is accepted yet): a port in use fails here, before models load. */
  void bind() throws IOException {
    try {
      connector.open();
    } catch (IOException e) {
      // Jetty wraps the JDK's BindException in "Failed to bind to ..."
      if (e.getCause() instanceof BindException b) {
        throw b;
      }
      throw e;
    }
  }

  /** Starts accepting connections. */
  void start() throws IOException {
    try {
      jetty.start();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /** The port listened on (the one chosen when 0 was asked for). */
  int port() {
    return connector.getLocalPort();
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Closes the listening socket; open connections go on being served. */
  void closeListener() {
    connector.close();
  }

  /** Closes every connection (cutting what is still in flight) and stops the workers. */
  void stop() {
    try {
      jetty.stop();
    } catch (Exception e) {
      // stopping is best effort: the process is going away
    }
    workers.shutdown();
  }

  /** Reads a request's body without blocking, then hands the whole request to a worker. */
  private final class Front extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(
        org.eclipse.jetty.server.Request req,
        org.eclipse.jetty.server.Response res,
        Callback callback) {
      inFlight.incrementAndGet();
      req.setAttribute(ARRIVED, new long[] {System.currentTimeMillis(), System.nanoTime(), 0});
      long limit = cfg.maxBodyBytes();
      long reserved;
      try {
        reserved = expectedBody(req, limit);
        bodies.reserve(reserved);
      } catch (ServeException e) {
        send(req, res, once(callback, 0), refuse(req, e));
        return true;
      }
      Callback done = once(callback, reserved);
      // idle while a worker runs the route is fine (the request timeout bounds that); idle while
      // the body is still coming, or the answer is still going out, closes the connection
      AtomicBoolean working = new AtomicBoolean();
      req.addIdleTimeoutListener(t -> !working.get());
      Content.Source.asByteArrayAsync(
          req,
          (int) Math.min(limit, Integer.MAX_VALUE - 16),
          Promise.Invocable.from(
              InvocationType.NON_BLOCKING,
              body -> {
                working.set(true);
                arrival(req)[2] = body.length;
                dispatch(req, res, done, toRequest(req, body), working);
              },
              failure -> bodyFailed(req, res, done, failure)));
      return true;
    }
  }

  /**
   * The bytes a request's body may take: its Content-Length (a larger one than the limit is a 413
   * here), the limit when it is sent chunked, 0 when it has none.
   */
  private static long expectedBody(org.eclipse.jetty.server.Request req, long limit) {
    String length = req.getHeaders().get(HttpHeader.CONTENT_LENGTH);
    Bodies.checkLength(length, limit);
    if (length != null) {
      return Long.parseLong(length.trim());
    }
    return req.getHeaders().contains(HttpHeader.TRANSFER_ENCODING) ? limit : 0;
  }

  private void dispatch(
      org.eclipse.jetty.server.Request req,
      org.eclipse.jetty.server.Response res,
      Callback done,
      Request request,
      AtomicBoolean working) {
    try {
      workers.execute(
          () -> {
            try {
              Response answer = routes.handle(request);
              working.set(false);
              send(req, res, done, answer);
            } catch (Throwable t) {
              done.failed(t);
            }
          });
    } catch (RejectedExecutionException e) {
      done.failed(e); // shutting down
    }
  }

  private void bodyFailed(
      org.eclipse.jetty.server.Request req,
      org.eclipse.jetty.server.Response res,
      Callback done,
      Throwable failure) {
    if (failure instanceof IllegalStateException) {
      // Jetty's reader stops at the limit with "Max size exceeded"
      send(req, res, done, refuse(req, Bodies.tooLarge(cfg.maxBodyBytes())));
    } else if (failure instanceof TimeoutException) {
      send(
          req,
          res,
          done,
          refuse(
              req,
              new ServeException(
                  ServeException.Reason.BODY_TIMEOUT,
                  "the request body did not arrive within "
                      + cfg.idleTimeoutMillis()
                      + " ms of silence; the connection is closed")));
    } else {
      done.failed(failure); // the client went away: nothing to answer
    }
  }

  private Response refuse(org.eclipse.jetty.server.Request req, ServeException e) {
    return routes.refuse(e, req.getHeaders().get(RequestIds.HEADER));
  }

  /** When the request's head arrived (epoch ms, nanoTime) and its body's bytes, for the log. */
  private static long[] arrival(org.eclipse.jetty.server.Request req) {
    return (long[]) req.getAttribute(ARRIVED);
  }

  /** The access log's line of a request whose answer {@code r} goes out now. */
  private void logAccess(org.eclipse.jetty.server.Request req, Response r, long bytesOut) {
    AccessLog log = routes.accessLog();
    long[] at = arrival(req);
    if (log == null || at == null) {
      return;
    }
    log.record(
        new AccessLog.Entry(
            at[0],
            r.requestId(),
            req.getMethod(),
            req.getHttpURI().getDecodedPath(),
            r.status(),
            r.served(),
            (System.nanoTime() - at[1]) / 1000,
            at[2],
            bytesOut,
            String.valueOf(org.eclipse.jetty.server.Request.getRemoteAddr(req))
                + ":"
                + org.eclipse.jetty.server.Request.getRemotePort(req),
            req.getHeaders().get(HttpHeader.X_FORWARDED_FOR)));
  }

  private static Request toRequest(org.eclipse.jetty.server.Request req, byte[] body) {
    Map<String, List<String>> headers = Request.headerMap();
    for (HttpField f : req.getHeaders()) {
      headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
    }
    return new Request(
        req.getMethod(),
        req.getHttpURI().getDecodedPath(),
        req.getHttpURI().getQuery(),
        headers,
        body);
  }

  private void send(
      org.eclipse.jetty.server.Request req,
      org.eclipse.jetty.server.Response res,
      Callback done,
      Response r) {
    HttpFields.Mutable h = res.getHeaders();
    res.setStatus(r.status());
    // decided as the answer goes out, not as the request came in: a request in flight when the
    // drain began is answered during it, and its client must not send another on this connection
    if (routes.draining()) {
      h.put(HttpHeader.CONNECTION, "close");
    }
    if (r.contentType() != null) {
      h.put(HttpHeader.CONTENT_TYPE, r.contentType());
    }
    r.headers().forEach(h::put);
    if (r.body().length == 0 || HttpMethod.HEAD.is(req.getMethod())) {
      logAccess(req, r, 0);
      res.write(true, BufferUtil.EMPTY_BUFFER, done);
      return;
    }
    h.put(HttpHeader.CONTENT_LENGTH, r.body().length);
    logAccess(req, r, r.body().length);
    res.write(true, ByteBuffer.wrap(r.body()), done);
  }

  /**
   * Completes Jetty's callback once, and then counts the request out of flight and gives back the
   * body bytes it reserved.
   */
  private Callback once(Callback callback, long reserved) {
    AtomicBoolean completed = new AtomicBoolean();
    return new Callback() {
      @Override
      public void succeeded() {
        if (completed.compareAndSet(false, true)) {
          inFlight.decrementAndGet();
          bodies.release(reserved);
          callback.succeeded();
        }
      }

      @Override
      public void failed(Throwable x) {
        if (completed.compareAndSet(false, true)) {
          inFlight.decrementAndGet();
          bodies.release(reserved);
          callback.failed(x);
        }
      }

      @Override
      public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
      }
    };
  }

  /**
   * What Jetty answers itself (a malformed request line or header, a head too large): as every
   * error of this server, {@code {"error": ...}} with the status.
   */
  private static boolean jettyError(
      org.eclipse.jetty.server.Request req,
      org.eclipse.jetty.server.Response res,
      Callback callback) {
    int status = res.getStatus() >= 400 ? res.getStatus() : 500;
    Object message = req.getAttribute(ErrorHandler.ERROR_MESSAGE);
    String why = message == null ? "Bad request" : message.toString();
    Response r = Response.error(status, why);
    res.setStatus(status);
    res.getHeaders().put(RequestIds.HEADER, RequestIds.of(null));
    res.getHeaders().put(HttpHeader.CONTENT_TYPE, r.contentType());
    res.getHeaders().put(HttpHeader.CONTENT_LENGTH, r.body().length);
    res.write(true, ByteBuffer.wrap(r.body()), callback);
    return true;
  }
}
