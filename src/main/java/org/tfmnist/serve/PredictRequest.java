package org.tfmnist.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.Arrays;
import org.tfmnist.data.Mnist;

/**
 * A TF Serving {@code :predict} body, read straight into the model's input floats: row form {@code
 * {"instances": [x, ...]}} (each instance a value, or {@code {"image": x}}) or columnar form {@code
 * {"inputs": X}} (or {@code {"inputs": {"image": X}}}), with the optional {@code signature_name}.
 * Every image must have the shape of the signature's input after its batch dimension ([28, 28] for
 * ours); a wrong shape, a ragged list, a string or a non-finite number is a bad request that says
 * where. {@code NaN} and {@code Infinity} are read (TF Serving's JSON accepts them) and then
 * refused, as no pixel can be NaN.
 */
final class PredictRequest {

  static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  final float[] pixels;
  final int count;

  /** Columnar ({@code inputs}) rather than row ({@code instances}) form. */
  final boolean columnar;

  final String signatureName;

  private PredictRequest(float[] pixels, int count, boolean columnar, String signatureName) {
    this.pixels = pixels;
    this.count = count;
    this.columnar = columnar;
    this.signatureName = signatureName;
  }

  /**
   * Reads {@code body} for a signature whose input {@code inputKey} has {@code inputShape} (batch
   * dimension first, -1 for any size; one image is 784 floats).
   */
  static PredictRequest parse(byte[] body, String inputKey, long[] inputShape) {
    long[] row = Arrays.copyOfRange(inputShape, 1, inputShape.length);
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw ServeException.badRequest(
            body.length == 0
                ? "JSON Parse error: The document is empty"
                : "JSON Value: the request body is not a JSON object");
      }
      Floats instances = null;
      Floats inputs = null;
      String signature = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken t = p.nextToken();
        switch (key) {
          case "signature_name" -> {
            if (t != JsonToken.VALUE_STRING) {
              throw ServeException.badRequest("'signature_name' key must be a string value.");
            }
            signature = p.getText();
          }
          case "instances" -> {
            if (t != JsonToken.START_ARRAY) {
              throw ServeException.badRequest("Expecting 'instances' to be an list/array");
            }
            instances = new Floats(row, inputKey);
            readInstances(p, instances, inputKey);
          }
          case "inputs" -> {
            inputs = new Floats(row, inputKey);
            readInputs(p, inputs, inputKey);
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw ServeException.badRequest("JSON Parse error: more data after the JSON object");
      }
      if (instances != null && inputs != null) {
        throw ServeException.badRequest(
            "Not formatted correctly expecting only one of 'inputs' or "
                + "'instances' keys to exist");
      }
      if (instances == null && inputs == null) {
        throw ServeException.badRequest("Missing 'inputs' or 'instances' key");
      }
      Floats f = instances != null ? instances : inputs;
      return new PredictRequest(f.toArray(), f.images, inputs != null, signature);
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
      throw ServeException.badRequest(
          "JSON Parse error: "
              + e.getOriginalMessage().split("\n")[0]
              + (at >= 0 ? " at offset: " + at : ""));
    } catch (IOException e) {
      throw ServeException.badRequest("JSON Parse error: " + e.getMessage());
    }
  }

  private static void readInstances(JsonParser p, Floats f, String inputKey) throws IOException {
    int i = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
      String where = "instances[" + i + "]";
      if (t == JsonToken.START_OBJECT) {
        readNamed(
            p, inputKey, where + "; ", "in " + where, () -> f.image(p, where + "." + inputKey));
      } else {
        f.image(p, where);
      }
    }
    if (i == 0) {
      throw ServeException.badRequest("No values in 'instances' array");
    }
  }

  private static void readInputs(JsonParser p, Floats f, String inputKey) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      readNamed(p, inputKey, "", "in 'inputs' object.", () -> f.batch(p, "inputs." + inputKey));
    } else {
      f.batch(p, "inputs");
    }
  }

  /** Reads a value of the parser (on its next token). */
  private interface ValueReader {
    void read() throws IOException;
  }

  /**
   * The object the parser is on, {@code {inputKey: value}}: reads the value; another name, or no
   * name, is a bad request in TF Serving's words ({@code context} goes before "the input is ...").
   */
  private static void readNamed(
      JsonParser p, String inputKey, String context, String missingWhere, ValueReader value)
      throws IOException {
    boolean found = false;
    for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
      if (!p.currentName().equals(inputKey)) {
        throw ServeException.badRequest(
            "JSON object: does not have named input: "
                + p.currentName()
                + " ("
                + context
                + "the input is '"
                + inputKey
                + "')");
      }
      p.nextToken();
      value.read();
      found = true;
    }
    if (!found) {
      throw ServeException.badRequest("Missing named input: " + inputKey + " " + missingWhere);
    }
  }

  /** A growing float buffer that checks each image's shape as it is read. */
  private static final class Floats {
    private final long[] row;
    private final String inputKey;
    private float[] data = new float[Mnist.PIXELS * 4];
    private int size;
    int images;

    Floats(long[] row, String inputKey) {
      this.row = row;
      this.inputKey = inputKey;
    }

    /** One image, the parser on its first token. */
    void image(JsonParser p, String where) throws IOException {
      int before = size;
      int[] shape = value(p, 0, where);
      check(shape, where, before);
      images++;
    }

    /** A batch of images (the columnar form), the parser on its first token. */
    void batch(JsonParser p, String where) throws IOException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw ServeException.badRequest(
            "'" + where + "' must be a list of images, each " + shapeText(row));
      }
      int i = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
        image(p, where + "[" + i + "]");
      }
    }

    private void check(int[] shape, String where, int before) {
      boolean ok = shape.length == row.length;
      for (int d = 0; ok && d < row.length; d++) {
        ok = row[d] < 0 || row[d] == shape[d];
      }
      if (!ok || size - before != Mnist.PIXELS) {
        throw ServeException.badRequest(
            where
                + " has shape "
                + Arrays.toString(shape)
                + "; input '"
                + inputKey
                + "' takes images of shape "
                + shapeText(row));
      }
    }

    /** Reads a number or nested list; returns its shape. */
    private int[] value(JsonParser p, int depth, String where) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        float v = p.getFloatValue();
        if (!Float.isFinite(v)) {
          throw ServeException.badRequest(
              where
                  + " holds "
                  + p.getText()
                  + "; pixels must be "
                  + "finite numbers (0 to 1, white ink on black)");
        }
        if (size == data.length) {
          data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = v;
        return new int[0];
      }
      if (t != JsonToken.START_ARRAY) {
        throw ServeException.badRequest(
            "JSON Value: " + describe(p) + " in " + where + " is not of expected type: float");
      }
      if (depth > row.length) {
        throw ServeException.badRequest(
            where + " is nested deeper than input '" + inputKey + "' (" + shapeText(row) + ")");
      }
      int n = 0;
      int[] child = null;
      for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken(), n++) {
        int[] s = value(p, depth + 1, where);
        if (child == null) {
          child = s;
        } else if (!Arrays.equals(child, s)) {
          throw ServeException.badRequest(
              where
                  + " is a ragged list: an element of shape "
                  + Arrays.toString(s)
                  + " after one of shape "
                  + Arrays.toString(child));
        }
      }
      int[] shape = new int[1 + (child == null ? 0 : child.length)];
      shape[0] = n;
      if (child != null) {
        System.arraycopy(child, 0, shape, 1, child.length);
      }
      return shape;
    }

    float[] toArray() {
      return size == data.length ? data : Arrays.copyOf(data, size);
    }

    private static String describe(JsonParser p) throws IOException {
      return switch (p.currentToken()) {
        case VALUE_STRING -> "\"" + abbreviate(p.getText()) + "\" (a string)";
        case START_OBJECT -> "an object";
        case VALUE_TRUE, VALUE_FALSE -> p.getText() + " (a boolean)";
        case VALUE_NULL -> "null";
        default -> p.getText();
      };
    }

    private static String abbreviate(String s) {
      return s.length() <= 20 ? s : s.substring(0, 20) + "...";
    }
  }

  static String shapeText(long[] dims) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i > 0 ? ", " : "").append(dims[i] < 0 ? "any" : Long.toString(dims[i]));
    }
    return sb.append(']').toString();
  }
}
