package org.tfmnist.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.tensorflow.proto.DataType;
import org.tfmnist.export.Outputs;
import org.tfmnist.runtime.ServingModel;

/**
 * KServe's Open Inference Protocol (v2) REST API, beside TF Serving's on the same port and over the
 * same models, batching queue, metrics and drain: what Triton, MLServer, KServe's runtimes and
 * their clients speak. Health answers by status alone, as the protocol says (200 for true, 400 for
 * false, no body); metadata and inference answer JSON, and every failure {@code {"error": ...}}
 * with the status {@link HttpStatus} gives it.
 */
final class OpenInferenceApi {

  /** The protocol's extensions this server implements, listed by {@code GET /v2}. */
  static final List<String> EXTENSIONS = List.of("binary_tensor_data");

  private final ModelRegistry registry;
  private final Inference inference;

  /** Why the server is not ready (draining, no models, a model down), or null when it is. */
  private final Supplier<String> notReady;

  /** Whether a shutdown has begun: no model is ready then, though each still answers. */
  private final BooleanSupplier draining;

  OpenInferenceApi(
      ModelRegistry registry,
      Inference inference,
      Supplier<String> notReady,
      BooleanSupplier draining) {
    this.registry = registry;
    this.inference = inference;
    this.notReady = notReady;
    this.draining = draining;
  }

  /**
   * Answers route {@code r}; {@code body} reads the request's body (only inference has one), and
   * {@code headerLength} is its {@code Inference-Header-Content-Length}, or null.
   */
  Response handle(V2Route r, Supplier<byte[]> body, String headerLength) {
    return switch (r.kind()) {
      case LIVE -> Response.empty(200);
      case READY -> Response.empty(notReady.get() == null ? 200 : 400);
      case SERVER_METADATA -> serverMetadata();
      case MODEL_READY -> modelReady(r);
      case MODEL_METADATA -> modelMetadata(r);
      case INFER -> infer(r, body, headerLength);
    };
  }

  /** The server's metadata: the same bytes for every request, so written once. */
  private static final byte[] SERVER_METADATA = serverMetadataJson();

  private static Response serverMetadata() {
    return Response.json(200, SERVER_METADATA);
  }

  private static byte[] serverMetadataJson() {
    String version = OpenInferenceApi.class.getPackage().getImplementationVersion();
    return Json.pretty(
        g -> {
          g.writeStartObject();
          g.writeStringField("name", "tf-mnist");
          g.writeStringField("version", version == null ? "development" : version);
          g.writeArrayFieldStart("extensions");
          for (String e : EXTENSIONS) {
            g.writeString(e);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /**
   * The version {@code r} names, with a reference taken (give it back with {@link
   * ModelVersion#release}).
   */
  private ModelVersion acquire(V2Route r) {
    Long version = r.numericVersion();
    return registry.acquire(r.model(), version, Route.servable(r.model(), version));
  }

  /** 200 when the version is served and the server is not draining; 404 when there is none. */
  private Response modelReady(V2Route r) {
    ModelVersion mv;
    try {
      mv = acquire(r);
    } catch (ServeException e) {
      if (e.reason() == ServeException.Reason.NOT_FOUND && registry.names().contains(r.model())) {
        return Response.empty(400); // known, but no such version is up now
      }
      throw e;
    }
    mv.release();
    return Response.empty(draining.getAsBoolean() ? 400 : 200);
  }

  /**
   * {@code {"name", "versions", "platform", "inputs": [{"name", "datatype", "shape"}], "outputs":
   * [...]}}: the tensors of the signature the server runs, -1 for a size of any value.
   */
  private Response modelMetadata(V2Route r) {
    ModelVersion mv = acquire(r);
    try {
      ServingModel m = mv.savedModel;
      List<String> versions =
          registry.live(r.model()).stream()
              .map(v -> v.version)
              .sorted() // as numbers: version 10 after 9
              .map(String::valueOf)
              .toList();
      return Response.json(
          200,
          Json.pretty(
              g -> {
                g.writeStartObject();
                g.writeStringField("name", mv.name);
                g.writeArrayFieldStart("versions");
                for (String v : versions) {
                  g.writeString(v);
                }
                g.writeEndArray();
                g.writeStringField("platform", "tensorflow_savedmodel");
                g.writeArrayFieldStart("inputs");
                tensor(g, m.inputKey(), "FP32", m.inputShape());
                g.writeEndArray();
                g.writeArrayFieldStart("outputs");
                for (Outputs.Spec o : m.outputs()) {
                  tensor(g, o.key(), datatype(o.dtype()), o.shape());
                }
                g.writeEndArray();
                g.writeEndObject();
              }));
    } finally {
      mv.release();
    }
  }

  private static void tensor(JsonGenerator g, String name, String datatype, long[] shape)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("name", name);
    g.writeStringField("datatype", datatype);
    g.writeArrayFieldStart("shape");
    for (long d : shape) {
      g.writeNumber(d);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** The protocol's name of a TensorFlow type (the ones a served output can have). */
  static String datatype(DataType t) {
    return switch (t) {
      case DT_FLOAT -> "FP32";
      case DT_DOUBLE -> "FP64";
      case DT_INT32 -> "INT32";
      case DT_INT64 -> "INT64";
      default -> t.name();
    };
  }

  /**
   * Runs an inference request through the version's batching queue, as {@code :predict} does:
   * counted, within the request's deadline, with the outputs it asks for only.
   */
  private Response infer(V2Route r, Supplier<byte[]> body, String headerLength) {
    return inference.counted(
        r.model(),
        "infer",
        t0 -> {
          ModelVersion mv = acquire(r);
          try {
            ServingModel m = mv.savedModel;
            InferRequest req =
                InferRequest.parse(body.get(), headerLength, m.inputKey(), m.inputShape());
            List<InferResponse.Chosen> chosen = InferResponse.choose(req, m.outputs());
            Scheduler.Result res = inference.run(mv, req.pixels, req.count, "infer", t0);
            return InferResponse.write(mv.name, mv.version, req, res.outputs(), chosen)
                .withServed(mv.name, mv.version, req.count);
          } finally {
            mv.release();
          }
        });
  }
}
