package org.tfmnist.serve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tfmnist.runtime.ServingModel;

/** TF Serving's REST routes: model status, metadata and {@code :predict}. */
final class RestApi {

  private final ModelRegistry registry;
  private final Inference inference;

  RestApi(ModelRegistry registry, Inference inference) {
    this.registry = registry;
    this.inference = inference;
  }

  /** {@code GET /v1/models}: every model with its versions' status (the page's picker). */
  Response models() {
    Map<String, List<ModelRegistry.VersionStatus>> all = new LinkedHashMap<>();
    for (String name : registry.names()) {
      try {
        all.put(name, registry.status(name));
      } catch (ServeException e) {
        // removed while listing
      }
    }
    return Response.json(200, ModelJson.models(all));
  }

  /** {@code GET /v1/models/{m}[/versions/{v}]}. */
  Response status(Route r) {
    Inference.checkLabel(r);
    List<ModelRegistry.VersionStatus> all = registry.status(r.model());
    if (r.version() != null) {
      all = all.stream().filter(v -> v.version() == r.version()).toList();
      if (all.isEmpty()) {
        throw ServeException.notFound(
            "Could not find version " + r.version() + " of model " + r.model());
      }
    }
    return Response.json(200, ModelJson.status(all));
  }

  /** {@code GET /v1/models/{m}[/versions/{v}]/metadata}. */
  Response metadata(Route r) {
    ModelVersion mv = inference.acquire(r);
    try {
      return Response.json(
          200, ModelJson.metadata(mv.name, mv.version, mv.savedModel.signatures()));
    } finally {
      mv.release();
    }
  }

  /**
   * {@code POST /v1/models/{m}[/versions/{v}]:predict}, row or columnar form. The verb is checked
   * before the body is parsed: {@code :classify} and {@code :regress} are refused whatever they
   * send.
   */
  Response predict(RouteRequest q) {
    Route r = q.route();
    return inference.counted(
        r.model(),
        "predict",
        t0 -> {
          ModelVersion mv = inference.acquire(r);
          try {
            checkVerb(r);
            ServingModel m = mv.savedModel;
            PredictRequest req = PredictRequest.parse(q.body(), m.inputKey(), m.inputShape());
            checkSignature(req.signatureName, m);
            Scheduler.Result res = inference.run(mv, req.pixels, req.count, "predict", t0);
            return Response.json(200, PredictResponse.write(res.outputs(), req.columnar))
                .withHeader("X-Model-Version", Long.toString(mv.version))
                .withServed(mv.name, mv.version, req.count);
          } finally {
            mv.release();
          }
        });
  }

  /** This server's models only predict: TF Serving's words for a classify or regress request. */
  private static void checkVerb(Route r) {
    if (!r.verb().equals(Route.PREDICT)) {
      throw ServeException.badRequest(
          "Expected "
              + r.verb()
              + " signature method_name to be "
              + "tensorflow/serving/"
              + r.verb()
              + ". Was: tensorflow/serving/predict (this "
              + "model only predicts: use :predict)");
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
      throw ServeException.badRequest(
          "Serving signature name: \""
              + name
              + "\" is not served: this server runs one signature of a model ("
              + served
              + ")");
    }
    throw ServeException.badRequest(
        "Serving signature name: \""
            + name
            + "\" not found in signature def (this model serves: "
            + served
            + ")");
  }
}
