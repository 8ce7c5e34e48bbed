package org.tfmnist.serve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tfmnist.export.ExportException;
import org.tfmnist.runtime.ServingModel;

/** TF Serving's REST routes: model status, metadata and {@code :predict}. */
final class RestApi {

  private final ModelRegistry registry;
  private final Metrics metrics;
  private final long timeoutMillis;

  RestApi(ModelRegistry registry, Metrics metrics, long timeoutMillis) {
    this.registry = registry;
    this.metrics = metrics;
    this.timeoutMillis = timeoutMillis;
  }

  /** {@code GET /v1/models}: every model with its versions' status (the page's picker). */
  Response models() {
    Map<String, List<ModelRegistry.VersionStatus>> all = new LinkedHashMap<>();
    for (String name : registry.names()) {
      try {
        all.put(name, registry.status(name));
      } catch (HttpError e) {
        // removed while listing
      }
    }
    return Response.json(200, ModelJson.models(all));
  }

  /** {@code GET /v1/models/{m}[/versions/{v}]}. */
  Response status(Route r) {
    checkLabel(r);
    List<ModelRegistry.VersionStatus> all = registry.status(r.model());
    if (r.version() != null) {
      all = all.stream().filter(v -> v.version() == r.version()).toList();
      if (all.isEmpty()) {
        throw HttpError.notFound(
            "Could not find version " + r.version() + " of model " + r.model());
      }
    }
    return Response.json(200, ModelJson.status(all));
  }

  /** {@code GET /v1/models/{m}[/versions/{v}]/metadata}. */
  Response metadata(Route r) {
    checkLabel(r);
    ModelVersion mv = registry.acquire(r.model(), r.version(), r.servable());
    try {
      return Response.json(200, ModelJson.metadata(mv.name, mv.version, mv.model.signatures()));
    } finally {
      mv.release();
    }
  }

  /** {@code POST /v1/models/{m}[/versions/{v}]:predict}, row or columnar form. */
  Response predict(Route r, byte[] body) {
    return counted(
        metrics,
        r.model(),
        "predict",
        t0 -> {
          checkLabel(r);
          ModelVersion mv = registry.acquire(r.model(), r.version(), r.servable());
          try {
            ServingModel m = mv.model;
            PredictRequest req = PredictRequest.parse(body, m.inputKey(), m.inputShape());
            checkSignature(req.signatureName, m);
            if (!r.verb().equals(Route.PREDICT)) {
              throw HttpError.badRequest(
                  "Expected "
                      + r.verb()
                      + " signature method_name to be "
                      + "tensorflow/serving/"
                      + r.verb()
                      + ". Was: tensorflow/serving/predict (this "
                      + "model only predicts: use :predict)");
            }
            Scheduler.Result res = run(mv, req.pixels, req.count, r.model(), "predict", t0);
            return Response.json(200, PredictResponse.write(res.outputs(), req.columnar))
                .withHeader("X-Model-Version", Long.toString(mv.version));
          } finally {
            mv.release();
          }
        });
  }

  /**
   * Runs {@code count} images of an {@code api} request on version {@code mv} within the request's
   * deadline, and records them as TF Serving does: the run's latency, and the images entering the
   * queue (input_batch_size), whichever route they came by.
   */
  Scheduler.Result run(
      ModelVersion mv, float[] pixels, int count, String model, String api, long t0) {
    Scheduler.Result res = await(mv.scheduler().submit(pixels, count), t0, timeoutMillis);
    metrics.runtimeLatency.observe(res.runMicros(), model, api, "TF1");
    metrics.inputBatchSize.observe(count, model);
    return res;
  }

  /** What a request route does, given the time it started (for its deadline). */
  interface Handler {
    Response handle(long startNanos);
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
    } catch (HttpError e) {
      status = e.code();
      throw e;
    } catch (RuntimeException e) {
      status = "INTERNAL"; // the server answers it 500 (HttpError.internal)
      throw e;
    } finally {
      metrics.requestCount.inc(model, status);
      metrics.requestLatency.observe((System.nanoTime() - t0) / 1000.0, model, api, "REST");
    }
  }

  static void checkLabel(Route r) {
    if (r.label() != null) {
      throw HttpError.badRequest(
          "Unrecognized servable version label: "
              + r.label()
              + " (this server defines no labels; use /versions/N)");
    }
  }

  /**
   * A request's {@code signature_name} must be one the model answers to (its served signature or an
   * alias of it, e.g. Keras' {@code serve}); the error says which those are.
   */
  static void checkSignature(String name, ServingModel m) {
    if (name == null || name.isEmpty() || m.runs(name)) {
      return;
    }
    String served = "\"" + String.join("\", \"", m.signatureNames()) + "\"";
    if (m.signatures().containsKey(name)) {
      // TF Serving would run it; this server runs one signature per model (batched alike)
      throw HttpError.badRequest(
          "Serving signature name: \""
              + name
              + "\" is not served: this server runs one signature of a model ("
              + served
              + ")");
    }
    throw HttpError.badRequest(
        "Serving signature name: \""
            + name
            + "\" not found in signature def (this model serves: "
            + served
            + ")");
  }

  /** Waits for a scheduled run until the request's deadline; 504 after it. */
  static Scheduler.Result await(
      CompletableFuture<Scheduler.Result> f, long startNanos, long timeoutMillis) {
    long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis) - (System.nanoTime() - startNanos);
    try {
      return f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(false); // the batcher skips it if it has not run yet
      throw HttpError.deadline(
          "Timed out waiting for notification: no answer within " + timeoutMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpError.unavailable("interrupted");
    } catch (CancellationException e) {
      throw HttpError.unavailable("cancelled");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof HttpError h) {
        throw h;
      }
      if (c instanceof ExportException x) {
        throw HttpError.internal(x.getMessage());
      }
      throw HttpError.internal("the session run failed: " + c);
    }
  }
}
