package org.tfmnist.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Open Inference Protocol (v2) inference request, read into the model's input floats: {@code
 * {"id"?, "parameters"?, "inputs": [{"name", "shape", "datatype", "parameters"?, "data"}],
 * "outputs"?: [{"name", "parameters"?}]}}. The input's {@code data} is row-major, flat or nested as
 * its shape; {@code FP32} (or {@code FP64}) pixels are taken as they are, 0 to 1 as the model was
 * trained, and {@code UINT8} pixels 0 to 255 are scaled to that. With the binary tensor extension
 * the JSON is the first {@code Inference-Header-Content-Length} bytes of the body and an input with
 * {@code "parameters": {"binary_data_size": n}} has its values, little-endian, in the bytes after
 * it.
 */
final class InferRequest {

  /** An output asked for by name, and whether it is to come back as binary data. */
  record Requested(String name, boolean binary) {}

  final String id;
  final float[] pixels;
  final int count;

  /** The outputs asked for, in order; null when the request names none (all are sent). */
  final List<Requested> outputs;

  /** Top-level {@code "parameters": {"binary_data_output": true}}: every output as binary. */
  final boolean binaryOutput;

  private InferRequest(
      String id, float[] pixels, int count, List<Requested> outputs, boolean binaryOutput) {
    this.id = id;
    this.pixels = pixels;
    this.count = count;
    this.outputs = outputs;
    this.binaryOutput = binaryOutput;
  }

  /**
   * Reads {@code body} for a model whose one input is {@code inputKey} with {@code inputShape}
   * (batch dimension first); {@code headerLength} is the {@code Inference-Header-Content-Length}
   * header, or null when the body is JSON only.
   */
  static InferRequest parse(byte[] body, String headerLength, String inputKey, long[] inputShape) {
    int json = jsonLength(body, headerLength);
    String id = null;
    boolean binaryOutput = false;
    List<InferInput> inputs = null;
    List<Requested> outputs = null;
    try (JsonParser p = PredictRequest.JSON.createParser(body, 0, json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw ServeException.badRequest("the inference request is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        switch (key) {
          case "id" -> id = string(p, "'id'");
          case "parameters" -> binaryOutput = parameters(p, "binary_data_output", "'parameters'");
          case "inputs" -> inputs = inputs(p);
          case "outputs" -> outputs = outputs(p);
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw ServeException.badRequest("more data after the inference request's JSON object");
      }
    } catch (JsonProcessingException e) {
      throw ServeException.badRequest(
          "failed to parse the request JSON: " + e.getOriginalMessage().split("\n")[0]);
    } catch (IOException e) {
      throw ServeException.badRequest("failed to parse the request JSON: " + e.getMessage());
    }
    if (inputs == null || inputs.isEmpty()) {
      throw ServeException.badRequest("the inference request has no 'inputs'");
    }
    if (inputs.size() != 1) {
      throw ServeException.badRequest(
          "expected 1 input but got " + inputs.size() + ": the model takes '" + inputKey + "'");
    }
    InferInput in = inputs.get(0);
    in.readBinary(body, json);
    float[] pixels = in.pixels(inputKey, inputShape);
    return new InferRequest(id, pixels, (int) in.shape[0], outputs, binaryOutput);
  }

  private static int jsonLength(byte[] body, String headerLength) {
    if (headerLength == null) {
      return body.length;
    }
    int n;
    try {
      n = Integer.parseInt(headerLength.trim());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 0 || n > body.length) {
      throw ServeException.badRequest(
          "Inference-Header-Content-Length "
              + headerLength.trim()
              + " is not a length within the body's "
              + body.length
              + " bytes");
    }
    return n;
  }

  private static String string(JsonParser p, String what) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw ServeException.badRequest(what + " must be a string");
    }
    return p.getText();
  }

  /** A parameters object: whether boolean {@code flag} is true (other parameters are ignored). */
  private static boolean parameters(JsonParser p, String flag, String what) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw ServeException.badRequest(what + " must be an object");
    }
    boolean on = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      if (key.equals(flag)) {
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
          throw ServeException.badRequest(what + "." + flag + " must be a boolean");
        }
        on = t == JsonToken.VALUE_TRUE;
      } else if (key.equals("classification")) {
        throw ServeException.badRequest(
            "the classification extension is not supported: ask for the 'probabilities' output");
      } else {
        p.skipChildren();
      }
    }
    return on;
  }

  private static List<InferInput> inputs(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw ServeException.badRequest("'inputs' must be a list of tensors");
    }
    List<InferInput> all = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      String where = "inputs[" + all.size() + "]";
      if (t != JsonToken.START_OBJECT) {
        throw ServeException.badRequest(where + " must be an object");
      }
      InferInput in = new InferInput();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        switch (key) {
          case "name" -> in.name = string(p, where + ".name");
          case "datatype" -> in.datatype = string(p, where + ".datatype");
          case "shape" -> in.shape = shape(p, where + ".shape");
          case "parameters" -> in.binarySize = binarySize(p, where + ".parameters");
          case "data" -> in.readData(p, where + ".data");
          default -> p.skipChildren();
        }
      }
      for (String field : new String[] {"name", "datatype", "shape"}) {
        boolean missing =
            switch (field) {
              case "name" -> in.name == null;
              case "datatype" -> in.datatype == null;
              default -> in.shape == null;
            };
        if (missing) {
          throw ServeException.badRequest(where + " has no '" + field + "'");
        }
      }
      all.add(in);
    }
    return all;
  }

  private static long[] shape(JsonParser p, String where) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw ServeException.badRequest(where + " must be a list of sizes");
    }
    long[] dims = new long[0];
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
        throw ServeException.badRequest(where + " must hold sizes (whole numbers, 0 or more)");
      }
      dims = Arrays.copyOf(dims, dims.length + 1);
      dims[dims.length - 1] = p.getLongValue();
    }
    return dims;
  }

  private static Long binarySize(JsonParser p, String where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw ServeException.badRequest(where + " must be an object");
    }
    Long size = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      if (key.equals("binary_data_size")) {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
          throw ServeException.badRequest(where + ".binary_data_size must be a byte count");
        }
        size = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    return size;
  }

  private static List<Requested> outputs(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw ServeException.badRequest("'outputs' must be a list of {\"name\": ...}");
    }
    List<Requested> all = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      String where = "outputs[" + all.size() + "]";
      if (t != JsonToken.START_OBJECT) {
        throw ServeException.badRequest(where + " must be an object");
      }
      String name = null;
      boolean binary = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        switch (key) {
          case "name" -> name = string(p, where + ".name");
          case "parameters" -> binary = parameters(p, "binary_data", where + ".parameters");
          default -> p.skipChildren();
        }
      }
      if (name == null) {
        throw ServeException.badRequest(where + " has no 'name'");
      }
      all.add(new Requested(name, binary));
    }
    return all;
  }
}
