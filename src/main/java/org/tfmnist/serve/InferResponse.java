package org.tfmnist.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.tfmnist.export.Outputs;

/**
 * An Open Inference Protocol (v2) inference response: {@code {"model_name", "model_version", "id"?,
 * "outputs": [{"name", "datatype", "shape", "data"}]}}, {@code data} flat and row-major. An output
 * asked for as binary has {@code "parameters": {"binary_data_size": n}} instead of {@code data},
 * and its values, little-endian, follow the JSON in the order of the outputs; the {@code
 * Inference-Header-Content-Length} header then says where the JSON ends.
 */
final class InferResponse {

  /** The header that tells the JSON from the binary data after it. */
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private InferResponse() {}

  /** One output to send: its index in the outputs, and whether as binary data. */
  record Chosen(int index, boolean binary) {}

  /**
   * The outputs a request asks for, in its order (all of them, in the model's order, when it names
   * none); a name the model does not have is a bad request naming the ones it has.
   */
  static List<Chosen> choose(InferRequest req, List<Outputs.Spec> specs) {
    List<String> names = specs.stream().map(Outputs.Spec::key).toList();
    List<Chosen> chosen = new ArrayList<>();
    if (req.outputs == null) {
      for (int i = 0; i < specs.size(); i++) {
        chosen.add(new Chosen(i, req.binaryOutput));
      }
      return chosen;
    }
    for (InferRequest.Requested r : req.outputs) {
      int i = names.indexOf(r.name());
      if (i < 0) {
        throw ServeException.badRequest(
            "unexpected inference output '" + r.name() + "': the model's outputs are " + names);
      }
      chosen.add(new Chosen(i, r.binary() || req.binaryOutput));
    }
    return chosen;
  }

  /** The response to {@code req}, which ran on version {@code version} of {@code model}. */
  static Response write(
      String model, long version, InferRequest req, Outputs out, List<Chosen> chosen) {
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    byte[] json =
        Json.compact(
            g -> {
              g.writeStartObject();
              g.writeStringField("model_name", model);
              g.writeStringField("model_version", Long.toString(version));
              if (req.id != null) {
                g.writeStringField("id", req.id);
              }
              g.writeArrayFieldStart("outputs");
              for (Chosen c : chosen) {
                output(g, out, c, binary);
              }
              g.writeEndArray();
              g.writeEndObject();
            },
            256 + out.rows() * 256);
    if (binary.size() == 0) {
      return Response.json(200, json);
    }
    byte[] body = new byte[json.length + binary.size()];
    System.arraycopy(json, 0, body, 0, json.length);
    System.arraycopy(binary.toByteArray(), 0, body, json.length, binary.size());
    return new Response(200, "application/octet-stream", body)
        .withHeader(HEADER_LENGTH, Integer.toString(json.length));
  }

  private static void output(JsonGenerator g, Outputs out, Chosen c, ByteArrayOutputStream binary)
      throws IOException {
    Outputs.Spec spec = out.specs().get(c.index());
    Object data = out.data(c.index());
    g.writeStartObject();
    g.writeStringField("name", spec.key());
    g.writeStringField("datatype", OpenInferenceApi.datatype(spec.dtype()));
    g.writeArrayFieldStart("shape");
    g.writeNumber(out.rows());
    for (long d : out.rowShape(c.index())) {
      g.writeNumber(d);
    }
    g.writeEndArray();
    if (c.binary()) {
      byte[] bytes = littleEndian(data);
      binary.write(bytes);
      g.writeObjectFieldStart("parameters");
      g.writeNumberField("binary_data_size", bytes.length);
      g.writeEndObject();
    } else {
      g.writeArrayFieldStart("data");
      values(g, data);
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void values(JsonGenerator g, Object data) throws IOException {
    if (data instanceof float[] f) {
      for (float v : f) {
        g.writeNumber(v);
      }
    } else if (data instanceof double[] d) {
      for (double v : d) {
        g.writeNumber(v);
      }
    } else if (data instanceof int[] a) {
      for (int v : a) {
        g.writeNumber(v);
      }
    } else {
      for (long v : (long[]) data) {
        g.writeNumber(v);
      }
    }
  }

  private static byte[] littleEndian(Object data) {
    ByteBuffer b;
    if (data instanceof float[] f) {
      b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(f);
    } else if (data instanceof double[] d) {
      b = ByteBuffer.allocate(d.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      b.asDoubleBuffer().put(d);
    } else if (data instanceof int[] a) {
      b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asIntBuffer().put(a);
    } else {
      long[] l = (long[]) data;
      b = ByteBuffer.allocate(l.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      b.asLongBuffer().put(l);
    }
    return b.array();
  }
}
