package org.tfmnist.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.tfmnist.data.Mnist;

/**
 * One input tensor of an Open Inference Protocol request, as sent ({@code name}, {@code shape},
 * {@code datatype}, and {@code data} or binary data), and then checked against the model and made
 * into its pixels: {@code FP32} (or {@code FP64}) 0 to 1 as they are, {@code UINT8} 0 to 255 scaled
 * to 0 to 1, as the model was trained.
 */
final class InferInput {

  String name;
  long[] shape;
  String datatype;

  /** {@code parameters.binary_data_size}: the input's values follow the JSON, little-endian. */
  Long binarySize;

  private float[] data;
  private int size;

  /** The shape {@code data} was nested as ({@code [n]} when flat). */
  private int[] nested;

  /** Whether every number of {@code data} was written as a whole number (UINT8's must be). */
  private boolean integral = true;

  /** Reads {@code data}, flat or nested, into floats, noting its nesting and if all are whole. */
  void readData(JsonParser p, String where) throws IOException {
    data = new float[Mnist.PIXELS * 4];
    nested = value(p, where, 0);
  }

  private int[] value(JsonParser p, String where, int depth) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      if (size == data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      double v = p.getDoubleValue();
      integral &= t == JsonToken.VALUE_NUMBER_INT;
      data[size++] = (float) v;
      return new int[0];
    }
    if (t != JsonToken.START_ARRAY || depth > 8) {
      throw ServeException.badRequest(
          where + " must hold numbers in lists (found " + p.getText() + ")");
    }
    int n = 0;
    int[] child = null;
    for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken(), n++) {
      int[] s = value(p, where, depth + 1);
      if (child != null && !Arrays.equals(child, s)) {
        throw ServeException.badRequest(where + " is a ragged list");
      }
      child = s;
    }
    int[] shape = new int[1 + (child == null ? 0 : child.length)];
    shape[0] = n;
    if (child != null) {
      System.arraycopy(child, 0, shape, 1, child.length);
    }
    return shape;
  }

  /** An input sent as binary data takes the bytes after the JSON (the only input: all of them). */
  void readBinary(byte[] body, int json) {
    int rest = body.length - json;
    if (binarySize == null) {
      if (rest > 0) {
        throw ServeException.badRequest(
            rest + " bytes after the JSON, but no input has parameters.binary_data_size");
      }
      return;
    }
    if (data != null) {
      throw ServeException.badRequest(
          "input '" + name + "' has both 'data' and parameters.binary_data_size");
    }
    if (binarySize != rest) {
      throw ServeException.badRequest(
          "input '"
              + name
              + "' declares binary_data_size "
              + binarySize
              + " but "
              + rest
              + " bytes follow the JSON");
    }
    ByteBuffer b = ByteBuffer.wrap(body, json, rest).order(ByteOrder.LITTLE_ENDIAN);
    switch (datatype) {
      case "FP32" -> {
        if (rest % 4 != 0) {
          throw ServeException.badRequest(
              "input '" + name + "': " + rest + " bytes of FP32 are not whole 4-byte floats");
        }
        data = new float[rest / 4];
        b.asFloatBuffer().get(data);
        size = rest / 4;
      }
      case "UINT8" -> {
        data = new float[rest];
        for (int i = 0; i < rest; i++) {
          data[i] = b.get() & 0xff;
        }
        size = rest;
      }
      default ->
          throw ServeException.badRequest(
              "input '" + name + "': binary data of " + datatype + " is not accepted");
    }
    nested = new int[] {size};
  }

  /** Checks the input against the model and makes its pixels the model's 0-to-1 floats. */
  float[] pixels(String inputKey, long[] inputShape) {
    if (!name.equals(inputKey)) {
      throw ServeException.badRequest(
          "unexpected inference input '" + name + "': the model's input is '" + inputKey + "'");
    }
    String what = "input '" + name + "'";
    if (data == null) {
      throw ServeException.badRequest(what + " has no 'data'");
    }
    boolean fits = shape.length == inputShape.length && shape[0] >= 1;
    for (int d = 1; fits && d < inputShape.length; d++) {
      fits = inputShape[d] < 0 || inputShape[d] == shape[d];
    }
    if (!fits) {
      throw ServeException.badRequest(
          what
              + " has shape "
              + Arrays.toString(shape)
              + "; the model takes "
              + PredictRequest.shapeText(inputShape)
              + " with at least one image");
    }
    long elements = 1;
    try {
      for (long d : shape) {
        elements = Math.multiplyExact(elements, d);
      }
    } catch (ArithmeticException e) {
      elements = -1; // no body holds that many values
    }
    boolean flat = nested.length == 1;
    long[] sent = Arrays.stream(nested).asLongStream().toArray();
    if (size != elements || !(flat || Arrays.equals(sent, shape))) {
      throw ServeException.badRequest(
          what
              + " has shape "
              + Arrays.toString(shape)
              + " ("
              + elements
              + " values) but its data is "
              + (flat ? size + " values" : "nested as " + Arrays.toString(nested)));
    }
    if (elements != shape[0] * Mnist.PIXELS) {
      throw ServeException.badRequest(
          what
              + " has "
              + elements / shape[0]
              + " values an image; the model takes "
              + Mnist.PIXELS);
    }
    float[] px = size == data.length ? data : Arrays.copyOf(data, size); // ours to scale
    switch (datatype) {
      case "FP32", "FP64" -> {
        for (float v : px) {
          if (!Float.isFinite(v)) {
            throw ServeException.badRequest(
                what + " holds " + v + "; pixels must be finite (0 to 1, white ink on black)");
          }
        }
      }
      case "UINT8" -> {
        for (int i = 0; i < px.length; i++) {
          if (!integral || px[i] < 0 || px[i] > 255) {
            throw ServeException.badRequest(
                what + " is UINT8 but holds " + px[i] + "; UINT8 pixels are whole, 0 to 255");
          }
          px[i] /= 255f; // the model was trained on pixels / 255
        }
      }
      default ->
          throw ServeException.badRequest(
              what
                  + " has datatype "
                  + datatype
                  + "; the model takes FP32 pixels 0 to 1 (FP64 too) or UINT8 pixels 0 to 255");
    }
    return px;
  }
}
