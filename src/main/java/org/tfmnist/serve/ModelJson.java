package org.tfmnist.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * TF Serving's status and metadata bodies, field for field: {@code model_version_status} with
 * versions as strings, and the signature map as protobuf's JSON prints it ({@code DT_FLOAT},
 * dimension sizes as strings, {@code unknown_rank}, {@code method_name}, {@code defaults}).
 */
final class ModelJson {

  private ModelJson() {}

  /** {@code {"model_version_status": [...]}}. */
  static byte[] status(List<ModelRegistry.VersionStatus> versions) {
    return Json.pretty(
        g -> {
          g.writeStartObject();
          versionStatus(g, versions);
          g.writeEndObject();
        });
  }

  /** {@code {"models": [{"name": ..., "model_version_status": [...]}]}}: every model. */
  static byte[] models(Map<String, List<ModelRegistry.VersionStatus>> models) {
    return Json.pretty(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("models");
          for (Map.Entry<String, List<ModelRegistry.VersionStatus>> m : models.entrySet()) {
            g.writeStartObject();
            g.writeStringField("name", m.getKey());
            versionStatus(g, m.getValue());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private static void versionStatus(JsonGenerator g, List<ModelRegistry.VersionStatus> versions)
      throws IOException {
    g.writeArrayFieldStart("model_version_status");
    for (ModelRegistry.VersionStatus v : versions) {
      g.writeStartObject();
      g.writeStringField("version", Long.toString(v.version()));
      g.writeStringField("state", v.state().name());
      g.writeObjectFieldStart("status");
      g.writeStringField("error_code", v.errorCode());
      g.writeStringField("error_message", v.error());
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** {@code {"model_spec": ..., "metadata": {"signature_def": {"signature_def": ...}}}}. */
  static byte[] metadata(String name, long version, Map<String, SignatureDef> signatures) {
    return Json.pretty(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("model_spec");
          g.writeStringField("name", name);
          g.writeStringField("signature_name", "");
          g.writeStringField("version", Long.toString(version));
          g.writeEndObject();
          g.writeObjectFieldStart("metadata");
          g.writeObjectFieldStart("signature_def");
          g.writeObjectFieldStart("signature_def");
          for (Map.Entry<String, SignatureDef> s : new TreeMap<>(signatures).entrySet()) {
            g.writeObjectFieldStart(s.getKey());
            tensors(g, "inputs", s.getValue().getInputsMap());
            tensors(g, "outputs", s.getValue().getOutputsMap());
            g.writeStringField("method_name", s.getValue().getMethodName());
            g.writeObjectFieldStart("defaults");
            g.writeEndObject();
            g.writeEndObject();
          }
          g.writeEndObject();
          g.writeEndObject();
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  private static void tensors(JsonGenerator g, String field, Map<String, TensorInfo> map)
      throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, TensorInfo> t : new TreeMap<>(map).entrySet()) {
      g.writeObjectFieldStart(t.getKey());
      g.writeStringField("dtype", t.getValue().getDtype().name());
      TensorShapeProto shape = t.getValue().getTensorShape();
      g.writeObjectFieldStart("tensor_shape");
      g.writeArrayFieldStart("dim");
      for (TensorShapeProto.Dim d : shape.getDimList()) {
        g.writeStartObject();
        g.writeStringField("size", Long.toString(d.getSize()));
        g.writeStringField("name", d.getName());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeBooleanField("unknown_rank", shape.getUnknownRank());
      g.writeEndObject();
      g.writeStringField("name", t.getValue().getName());
      g.writeEndObject();
    }
    g.writeEndObject();
  }
}
