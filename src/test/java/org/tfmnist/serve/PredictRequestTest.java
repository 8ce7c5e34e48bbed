package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TF Serving's {@code :predict} body read without a server: the row and columnar forms, named
 * inputs and signature names accepted; every malformed body a 400 whose message says what and
 * where, as a client needs it to fix the request.
 */
@Timeout(30)
class PredictRequestTest {

  private static final long[] SHAPE = {-1, 28, 28};

  /** A 28x28 image as nested lists, every pixel {@code v}. */
  static String img(String v) {
    String row = "[" + String.join(",", Collections.nCopies(28, v)) + "]";
    return "[" + String.join(",", Collections.nCopies(28, row)) + "]";
  }

  static String img(double v) {
    return img(Double.toString(v));
  }

  /** A 28x28 image whose row {@code y} has {@code width} pixels (a ragged or narrow image). */
  static String imgWithRow(int y, int width) {
    StringBuilder sb = new StringBuilder("[");
    for (int r = 0; r < 28; r++) {
      int w = r == y ? width : 28;
      sb.append(r > 0 ? "," : "")
          .append("[")
          .append(String.join(",", Collections.nCopies(w, "0")))
          .append("]");
    }
    return sb.append("]").toString();
  }

  /** A 28x28 image with pixel (0, 0) set to {@code first}, the rest 0. */
  static String imgFirst(String first) {
    return img("0").replaceFirst("\\[\\[0,", "[[" + first + ",");
  }

  static PredictRequest parse(String json) {
    return PredictRequest.parse(json.getBytes(StandardCharsets.UTF_8), "image", SHAPE);
  }

  static Stream<Arguments> accepted() {
    String a = img(0.25);
    String b = img(0.75);
    return Stream.of(
        // body, images, columnar, signature name, first pixel of the last image
        Arguments.of("{\"instances\": [" + a + "]}", 1, false, null, 0.25f),
        Arguments.of("{\"instances\": [" + a + ", " + b + "]}", 2, false, null, 0.75f),
        Arguments.of("{\"instances\": [{\"image\": " + b + "}]}", 1, false, null, 0.75f),
        Arguments.of(
            "{\"instances\": [{\"image\": " + a + "}, {\"image\": " + b + "}]}",
            2,
            false,
            null,
            0.75f),
        Arguments.of("{\"inputs\": [" + a + ", " + b + "]}", 2, true, null, 0.75f),
        Arguments.of("{\"inputs\": {\"image\": [" + b + "]}}", 1, true, null, 0.75f),
        Arguments.of(
            "{\"signature_name\": \"serving_default\", \"instances\": [" + a + "]}",
            1,
            false,
            "serving_default",
            0.25f),
        Arguments.of("{\"instances\": [" + a + "], \"signature_name\": \"\"}", 1, false, "", 0.25f),
        // keys TF Serving does not know are skipped, however deep
        Arguments.of(
            "{\"meta\": {\"x\": [[1], {\"y\": 2}]}, \"instances\": [" + b + "]}",
            1,
            false,
            null,
            0.75f),
        Arguments.of("{\"instances\": [" + img("1") + "]}", 1, false, null, 1f),
        // more images than the buffer first holds (4): it grows without losing any
        Arguments.of(
            "{\"instances\": [" + String.join(",", Collections.nCopies(6, a)) + "," + b + "]}",
            7,
            false,
            null,
            0.75f),
        // a tiny number is a finite float (0), a big integer a large but finite one
        Arguments.of("{\"instances\": [" + imgFirst("1e-50") + "]}", 1, false, null, 0f),
        Arguments.of(
            "{\"instances\": [" + imgFirst("12345678901234567890") + "]}",
            1,
            false,
            null,
            1.2345679e19f));
  }

  @ParameterizedTest(name = "[{index}] {1} images, columnar={2}, signature={3}")
  @MethodSource("accepted")
  void validBodiesAreRead(
      String body, int images, boolean columnar, String signature, float lastFirstPixel) {
    PredictRequest r = parse(body);
    assertAll(
        () -> assertEquals(images, r.count, "images"),
        () -> assertEquals(images * 784, r.pixels.length, "floats"),
        () -> assertEquals(columnar, r.columnar, "columnar"),
        () -> assertEquals(signature, r.signatureName, "signature_name"),
        () -> assertEquals(lastFirstPixel, r.pixels[(images - 1) * 784], "last image's pixel 0"));
  }

  @Test
  void imagesKeepTheirOrderAndPixelPositions() {
    String a = imgFirst("0.5");
    String b = img("0").replaceFirst(",0]]$", ",0.9]]");
    PredictRequest r = parse("{\"instances\": [" + a + ", " + b + "]}");
    assertEquals(0.5f, r.pixels[0]);
    assertEquals(0f, r.pixels[1]);
    assertEquals(0f, r.pixels[783]);
    assertEquals(0f, r.pixels[784]);
    assertEquals(0.9f, r.pixels[2 * 784 - 1]);
  }

  @Test
  void aFlatSignatureTakesFlatRowsAndRefusesSquareOnes() {
    long[] flat = {-1, 784};
    String row = "[" + String.join(",", Collections.nCopies(784, "0.5")) + "]";
    PredictRequest r =
        PredictRequest.parse(
            ("{\"instances\": [" + row + "]}").getBytes(StandardCharsets.UTF_8), "x", flat);
    assertEquals(1, r.count);
    assertEquals(0.5f, r.pixels[783]);
    ServeException e =
        assertThrows(
            ServeException.class,
            () ->
                PredictRequest.parse(
                    ("{\"instances\": [" + img(0) + "]}").getBytes(StandardCharsets.UTF_8),
                    "x",
                    flat));
    assertEquals(
        "instances[0] has shape [28, 28]; input 'x' takes images of shape [784]", e.getMessage());
  }

  static Stream<Arguments> refused() {
    String ok = img(0.5);
    return Stream.of(
        // body, the 400's message (or its start, when it ends with "...")
        Arguments.of("", "JSON Parse error: The document is empty"),
        Arguments.of("[1, 2]", "JSON Value: the request body is not a JSON object"),
        Arguments.of("\"instances\"", "JSON Value: the request body is not a JSON object"),
        Arguments.of("{\"instances\": [", "JSON Parse error: ..."),
        Arguments.of("{instances: []}", "JSON Parse error: ..."),
        Arguments.of("{}", "Missing 'inputs' or 'instances' key"),
        Arguments.of("{\"signature_name\": \"serving_default\"}", "Missing 'inputs' or ..."),
        Arguments.of(
            "{\"instances\": [" + ok + "], \"inputs\": [" + ok + "]}",
            "Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist"),
        Arguments.of("{\"instances\": [" + ok + "]} {}", "JSON Parse error: more data ..."),
        Arguments.of("{\"instances\": {}}", "Expecting 'instances' to be an list/array"),
        Arguments.of("{\"instances\": 0.5}", "Expecting 'instances' to be an list/array"),
        Arguments.of("{\"instances\": []}", "No values in 'instances' array"),
        Arguments.of(
            "{\"signature_name\": 3, \"instances\": [" + ok + "]}",
            "'signature_name' key must be a string value."),
        Arguments.of(
            "{\"instances\": [" + imgWithRow(27, 0).replace(",[]]", "]") + "]}",
            "instances[0] has shape [27, 28]; input 'image' takes images of shape [28, 28]"),
        Arguments.of(
            "{\"instances\": [" + ok + ", [[0.5]]]}",
            "instances[1] has shape [1, 1]; input 'image' takes images of shape [28, 28]"),
        Arguments.of(
            "{\"instances\": [0.5]}",
            "instances[0] has shape []; input 'image' takes images of shape [28, 28]"),
        Arguments.of(
            "{\"instances\": [" + imgWithRow(3, 27) + "]}",
            "instances[0] is a ragged list: an element of shape [27] after one of shape [28]"),
        Arguments.of(
            "{\"instances\": [[[[[0.5]]]]]}",
            "instances[0] is nested deeper than input 'image' ([28, 28])"),
        // refused at the first level too deep, before the parser's own stack grows
        Arguments.of(
            "{\"instances\": [" + "[".repeat(5000) + "0" + "]".repeat(5000) + "]}",
            "instances[0] is nested deeper than input 'image' ([28, 28])"),
        Arguments.of(
            "{\"instances\": [" + imgFirst("\"0.5\"") + "]}",
            "JSON Value: \"0.5\" (a string) in instances[0] is not of expected type: float"),
        Arguments.of(
            "{\"instances\": [" + imgFirst("\"" + "x".repeat(30) + "\"") + "]}",
            "JSON Value: \"xxxxxxxxxxxxxxxxxxxx...\" (a string) in instances[0] is not ..."),
        Arguments.of(
            "{\"instances\": [" + imgFirst("null") + "]}",
            "JSON Value: null in instances[0] is not of expected type: float"),
        Arguments.of(
            "{\"instances\": [" + imgFirst("true") + "]}",
            "JSON Value: true (a boolean) in instances[0] is not of expected type: float"),
        Arguments.of(
            "{\"inputs\": [" + ok + ", " + imgFirst("{}") + "]}",
            "JSON Value: an object in inputs[1] is not of expected type: float"),
        Arguments.of(
            "{\"instances\": [" + imgFirst("NaN") + "]}",
            "instances[0] holds NaN; pixels must be finite numbers (0 to 1, white ink on black)"),
        Arguments.of("{\"instances\": [" + imgFirst("Infinity") + "]}", "instances[0] holds ..."),
        Arguments.of("{\"instances\": [" + imgFirst("-Infinity") + "]}", "instances[0] holds ..."),
        // beyond float's range: it would become Infinity in the model
        Arguments.of("{\"instances\": [" + imgFirst("1e39") + "]}", "instances[0] holds 1e39..."),
        Arguments.of(
            "{\"inputs\": [" + ok + ", " + imgFirst("-3.5e300") + "]}",
            "inputs[1] holds -3.5e300; pixels must be ..."),
        Arguments.of(
            "{\"instances\": [{\"picture\": " + ok + "}]}",
            "JSON object: does not have named input: picture (instances[0]; the input is 'image')"),
        // TF Serving's base64 form is for string inputs; ours takes floats only
        Arguments.of(
            "{\"instances\": [{\"b64\": \"AAAA\"}]}",
            "JSON object: does not have named input: b64 (instances[0]; the input is 'image')"),
        Arguments.of("{\"instances\": [{}]}", "Missing named input: image in instances[0]"),
        Arguments.of(
            "{\"instances\": [{\"image\": " + imgFirst("\"a\"") + "}]}",
            "JSON Value: \"a\" (a string) in instances[0].image is not of expected type: float"),
        Arguments.of("{\"inputs\": {}}", "Missing named input: image in 'inputs' object."),
        Arguments.of(
            "{\"inputs\": {\"pixels\": [" + ok + "]}}",
            "JSON object: does not have named input: pixels (the input is 'image')"),
        Arguments.of("{\"inputs\": 3}", "'inputs' must be a list of images, each [28, 28]"),
        Arguments.of(
            "{\"inputs\": {\"image\": " + "\"x\"" + "}}",
            "'inputs.image' must be a list of images, each [28, 28]"),
        Arguments.of(
            "{\"inputs\": {\"image\": [[[0.5]]]}}",
            "inputs.image[0] has shape [1, 1]; input 'image' takes images of shape [28, 28]"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("refused")
  void malformedBodiesAreA400ThatSaysWhere(String body, String message) {
    ServeException e = assertThrows(ServeException.class, () -> parse(body), "accepted: " + body);
    assertEquals(400, HttpStatus.of(e.reason()), e.getMessage());
    assertEquals("INVALID_ARGUMENT", e.code(), e.getMessage());
    if (message.endsWith("...")) {
      String start = message.substring(0, message.length() - 3);
      assertTrue(
          e.getMessage().startsWith(start),
          "expected a message starting \"" + start + "\", got \"" + e.getMessage() + "\"");
    } else {
      assertEquals(message, e.getMessage());
    }
  }

  @Test
  void parseErrorsSayTheOffset() {
    ServeException e = assertThrows(ServeException.class, () -> parse("{\"instances\" 1}"));
    assertTrue(e.getMessage().matches("JSON Parse error: .* at offset: 13"), e.getMessage());
  }

  @Test
  void shapesWithAnyDimensionNameItSo() {
    assertEquals("[any, 28, 28]", PredictRequest.shapeText(new long[] {-1, 28, 28}));
    assertEquals("[]", PredictRequest.shapeText(new long[0]));
  }
}
