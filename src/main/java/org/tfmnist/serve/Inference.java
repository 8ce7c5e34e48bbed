package org.tfmnist.serve;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tfmnist.export.ExportException;

/**
 * What the model routes ({@code :predict} and {@code :recognize}) share: finding the version a
 * route names, running images on it within the request's deadline, and TF Serving's accounting
 * (requests by model and code, request and runtime latency, input batch sizes).
 */
final class Inference {

  private final ModelRegistry registry;
  private final Metrics metrics;
  private final long timeoutMillis;

  Inference(ModelRegistry registry, Metrics metrics, long timeoutMillis) {
    this.registry = registry;
    this.metrics = metrics;
    this.timeoutMillis = timeoutMillis;
  }

  /** What a request route does, given the time it started (for its deadline). */
  interface Handler {
    Response handle(long startNanos);
  }

  /**
   * Runs route {@code api} of {@code model} counted (see {@link #counted(Metrics, String, String,
   * Handler)}).
   */
  Response counted(String model, String api, Handler h) {
    return counted(metrics, model, api, h);
  }

  /**
   * Runs a request route with TF Serving's accounting: the request count by model and status (OK or
   * the error's code) and the request latency histogram.
   */
  static Response counted(Metrics metrics, String model, String api, Handler h) {
    long t0 = System.nanoTime();
    String status = "OK";
    try {
      return h.handle(t0);
    } catch (ServeException e) {
      status = e.code();
      throw e;
    } catch (RuntimeException e) {
      status = ServeException.Reason.INTERNAL.code(); // the server answers it as one
      throw e;
    } finally {
      metrics.requestCount.inc(model, status);
      metrics.requestLatency.observe((System.nanoTime() - t0) / 1000.0, model, api, "REST");
    }
  }

  /**
   * The version {@code r} names, with a reference taken (give it back with {@link
   * ModelVersion#release}).
   */
  ModelVersion acquire(Route r) {
    checkLabel(r);
    return registry.acquire(r.model(), r.version(), r.servable());
  }

  static void checkLabel(Route r) {
    if (r.label() != null) {
      throw ServeException.badRequest(
          "Unrecognized servable version label: "
              + r.label()
              + " (this server defines no labels; use /versions/N)");
    }
  }

  /**
   * Runs {@code count} images of an {@code api} request on version {@code mv} within the request's
   * deadline, and records them as TF Serving does: the run's latency, and the images entering the
   * queue (input_batch_size), whichever route they came by.
   */
  Scheduler.Result run(ModelVersion mv, float[] pixels, int count, String api, long t0) {
    Scheduler.Result res = await(mv.scheduler().submit(pixels, count), t0, timeoutMillis);
    metrics.runtimeLatency.observe(res.runMicros(), mv.name, api, "TF1");
    metrics.inputBatchSize.observe(count, mv.name);
    return res;
  }

  /**
   * Waits for a scheduled run until the request's deadline. A failure of the model's own (an {@link
   * ExportException}) keeps its message; any other carries the fault as its cause, which the client
   * never sees.
   */
  static Scheduler.Result await(
      CompletableFuture<Scheduler.Result> f, long startNanos, long timeoutMillis) {
    long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis) - (System.nanoTime() - startNanos);
    try {
      return f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(false); // the batcher skips it if it has not run yet
      throw new ServeException(
          ServeException.Reason.DEADLINE,
          "Timed out waiting for notification: no answer within " + timeoutMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServeException(ServeException.Reason.INTERRUPTED, "interrupted");
    } catch (CancellationException e) {
      throw new ServeException(ServeException.Reason.INTERRUPTED, "cancelled");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ServeException s) {
        throw s;
      }
      if (c instanceof ExportException x) {
        throw new ServeException(ServeException.Reason.INTERNAL, x.getMessage());
      }
      throw new ServeException(ServeException.Reason.INTERNAL, "the session run failed", c);
    }
  }
}
