package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An Open Inference Protocol request read into pixels, and each malformed one refused by name. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InferRequestTest {

  static final long[] SHAPE = {-1, 28, 28};

  static InferRequest parse(String json) {
    return InferRequest.parse(json.getBytes(StandardCharsets.UTF_8), null, "image", SHAPE);
  }

  static String flat(int n, String value) {
    return "[" + String.join(",", java.util.Collections.nCopies(n, value)) + "]";
  }

  static String tensor(String shape, String datatype, String data) {
    return "{\"name\": \"image\", \"shape\": "
        + shape
        + ", \"datatype\": \""
        + datatype
        + "\", \"data\": "
        + data
        + "}";
  }

  static String input(String shape, String datatype, String data) {
    return "{\"inputs\": [" + tensor(shape, datatype, data) + "]}";
  }

  static String refused(String json) {
    return assertThrows(ServeException.class, () -> parse(json)).getMessage();
  }

  @Test
  void fieldsInAnyOrderAndTheOptionalOnes() {
    InferRequest r =
        parse(
            "{\"outputs\": [{\"name\": \"probabilities\", \"parameters\": {\"binary_data\":"
                + " true}}], \"inputs\": [{\"data\": "
                + flat(784 * 2, "0.25")
                + ", \"datatype\": \"FP32\", \"shape\": [2, 28, 28], \"parameters\": {}, \"name\": \"image\"}],"
                + " \"id\": \"x\", \"parameters\": {\"other\": [1, {\"a\": 2}]}, \"extra\": 1}");
    assertEquals(2, r.count);
    assertEquals("x", r.id);
    assertEquals(0.25f, r.pixels[1567]);
    assertEquals(List.of(new InferRequest.Requested("probabilities", true)), r.outputs);
    assertEquals(false, r.binaryOutput);
    InferRequest plain = parse(input("[1, 28, 28]", "FP64", flat(784, "1")));
    assertNull(plain.id);
    assertNull(plain.outputs, "none named: all are sent");
  }

  @Test
  void uint8IsScaledToTheModelsRange() {
    InferRequest r = parse(input("[1, 28, 28]", "UINT8", flat(784, "255")));
    assertEquals(1f, r.pixels[0]);
    assertTrue(refused(input("[1, 28, 28]", "UINT8", flat(784, "256"))).contains("0 to 255"));
    assertTrue(refused(input("[1, 28, 28]", "UINT8", flat(784, "1.0"))).contains("whole"));
    assertTrue(refused(input("[1, 28, 28]", "UINT8", flat(784, "-1"))).contains("0 to 255"));
  }

  @Test
  void binaryDataFollowsTheJson() {
    String head =
        "{\"inputs\": [{\"name\": \"image\", \"shape\": [1, 28, 28], \"datatype\": \"FP32\","
            + " \"parameters\": {\"binary_data_size\": 3136}}]}";
    byte[] json = head.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(json.length + 3136).order(ByteOrder.LITTLE_ENDIAN);
    body.put(json);
    for (int i = 0; i < 784; i++) {
      body.putFloat(i / 784f);
    }
    byte[] all = body.array();
    InferRequest r = InferRequest.parse(all, Integer.toString(json.length), "image", SHAPE);
    assertEquals(100 / 784f, r.pixels[100]);
    assertEquals(
        "input 'image' declares binary_data_size 3136 but 3135 bytes follow the JSON",
        assertThrows(
                ServeException.class,
                () ->
                    InferRequest.parse(
                        java.util.Arrays.copyOf(all, all.length - 1),
                        Integer.toString(json.length),
                        "image",
                        SHAPE))
            .getMessage());
    for (String bad : List.of("-1", "x", Integer.toString(all.length + 1))) {
      assertTrue(
          assertThrows(ServeException.class, () -> InferRequest.parse(all, bad, "image", SHAPE))
              .getMessage()
              .startsWith("Inference-Header-Content-Length"));
    }
    // bytes after the JSON that no input claims
    byte[] trailing = (input("[1, 28, 28]", "FP32", flat(784, "0")) + "xyz").getBytes();
    int jsonLength = trailing.length - 3;
    assertTrue(
        assertThrows(
                ServeException.class,
                () -> InferRequest.parse(trailing, Integer.toString(jsonLength), "image", SHAPE))
            .getMessage()
            .contains("no input has parameters.binary_data_size"));
  }

  @Test
  void malformedRequestsAreRefusedByName() {
    String ok = flat(784, "0");
    assertTrue(refused("[]").contains("not a JSON object"));
    assertTrue(refused("{\"inputs\": 3}").contains("'inputs' must be a list"));
    assertTrue(refused("{\"id\": 3, \"inputs\": []}").contains("'id' must be a string"));
    assertTrue(refused("{\"inputs\": [{\"name\": \"image\"}]}").contains("has no 'datatype'"));
    assertTrue(refused(input("[1, -28, 28]", "FP32", ok)).contains("whole numbers"));
    assertTrue(refused(input("[0, 28, 28]", "FP32", "[]")).contains("at least one image"));
    assertTrue(refused(input("[1, 28, 28]", "FP32", "[\"a\"]")).contains("numbers in lists"));
    assertTrue(refused(input("[1, 28, 28]", "FP32", flat(784, "NaN"))).contains("finite"));
    assertTrue(
        refused(input("[2, 28, 28]", "FP32", "[" + flat(784, "0") + "," + flat(784, "0") + "]"))
            .contains("nested as [2, 784]"));
    assertTrue(
        refused(input("[4611686018427387904, 28, 28]", "FP32", ok)).contains("but its data is"));
    String one = tensor("[1, 28, 28]", "FP32", ok);
    String two = "{\"inputs\": [" + one + ", " + one + "]}";
    assertTrue(refused(two).contains("expected 1 input but got 2"), refused(two));
    assertTrue(
        refused("{\"parameters\": {\"classification\": 3}, \"inputs\": []}")
            .contains("classification extension is not supported"));
    assertTrue(refused(input("[1, 28, 28]", "FP32", ok) + " {}").contains("more data after"));
    assertTrue(refused("{\"inputs\": [").startsWith("failed to parse the request JSON"));
  }

  @Test
  void nestedDataMatchingItsShapeIsTheSameAsFlat() {
    StringBuilder nested = new StringBuilder("[[");
    for (int row = 0; row < 28; row++) {
      nested.append(row > 0 ? "," : "").append(flat(28, Integer.toString(row)));
    }
    nested.append("]]");
    float[] px = parse(input("[1, 28, 28]", "UINT8", nested.toString())).pixels;
    assertArrayEquals(new float[] {27 / 255f, 27 / 255f}, new float[] {px[783], px[756]});
  }
}
