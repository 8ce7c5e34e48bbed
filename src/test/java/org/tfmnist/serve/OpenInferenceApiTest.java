package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.runtime.ServingModel;

/**
 * KServe's Open Inference Protocol (v2) on a served MLP, checked against the spec (kserve/kserve
 * docs/predict-api/v2/required_api.md, and Triton's binary tensor extension): health by status code
 * with no body, server and model metadata, readiness of a model and a version, and inference in
 * every form the spec allows giving the SavedModel's own probabilities.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OpenInferenceApiTest {

  @TempDir static Path tmp;
  static ServerFixture f;
  static float[] pixels;
  static float[][] expected;
  static ServingModel model;

  @BeforeAll
  static void start() throws IOException {
    Path models = tmp.resolve("models");
    TestModels.copy(TestModels.mlp(), models.resolve("mlp/1"));
    f = new ServerFixture(ServerFixture.config(models));
    LabeledImages test = TestData.test();
    pixels = new float[3 * 784];
    for (int i = 0; i < 3; i++) {
      // whole multiples of 1/255, so that the same images can be sent as UINT8
      float[] img = test.imageAsFloats(i);
      for (int k = 0; k < 784; k++) {
        pixels[i * 784 + k] = Math.round(img[k] * 255) / 255f;
      }
    }
    model = ServingModel.load(TestModels.mlp());
    expected = model.predict(pixels, 3);
  }

  @AfterAll
  static void stop() {
    f.close();
    model.close();
  }

  static String input(String datatype, String data) {
    return "{\"name\": \"image\", \"shape\": [3, 28, 28], \"datatype\": \""
        + datatype
        + "\", \"data\": "
        + data
        + "}";
  }

  static String flat(float[] values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      sb.append(i > 0 ? "," : "").append(values[i]);
    }
    return sb.append(']').toString();
  }

  static float[] output(Map<String, Object> body, String name) {
    for (Object o : (List<?>) body.get("outputs")) {
      Map<?, ?> out = (Map<?, ?>) o;
      if (out.get("name").equals(name)) {
        return ServeApiTest.floats((List<?>) out.get("data"));
      }
    }
    throw new AssertionError("no output " + name + " in " + body);
  }

  static float[] rows(float[][] p) {
    float[] all = new float[p.length * p[0].length];
    for (int i = 0; i < p.length; i++) {
      System.arraycopy(p[i], 0, all, i * p[0].length, p[0].length);
    }
    return all;
  }

  @Test
  void healthIsAStatusCodeWithNoBody() {
    for (String path : List.of("/v2/health/live", "/v2/health/ready", "/v2/models/mlp/ready")) {
      ServerFixture.Reply r = f.get(path);
      assertEquals(200, r.status(), path);
      assertEquals("", r.body(), path + " has no body");
    }
    assertEquals(200, f.get("/v2/models/mlp/versions/1/ready").status());
    assertEquals(400, f.get("/v2/models/mlp/versions/7/ready").status(), "no such version up");
    assertEquals(404, f.get("/v2/models/nope/ready").status());
  }

  @Test
  void serverAndModelMetadataNameTheTensors() {
    Map<String, Object> server = f.get("/v2").json();
    assertEquals("tf-mnist", server.get("name"));
    assertTrue(server.containsKey("version"));
    assertEquals(List.of("binary_tensor_data"), server.get("extensions"));
    ServerFixture.Reply r = f.get("/v2/models/mlp");
    assertEquals(200, r.status(), r.body());
    Map<String, Object> meta = r.json();
    assertEquals("mlp", meta.get("name"));
    assertEquals(List.of("1"), meta.get("versions"));
    assertEquals("tensorflow_savedmodel", meta.get("platform"));
    assertEquals(
        List.of(Map.of("name", "image", "datatype", "FP32", "shape", List.of(-1, 28, 28))),
        meta.get("inputs"));
    assertEquals(
        List.of(
            Map.of("name", "class", "datatype", "INT64", "shape", List.of(-1)),
            Map.of("name", "probabilities", "datatype", "FP32", "shape", List.of(-1, 10))),
        meta.get("outputs"));
    assertEquals(200, f.get("/v2/models/mlp/versions/1").status());
    assertEquals(404, f.get("/v2/models/mlp/versions/2").status());
    assertEquals(404, f.get("/v2/models/mlp/versions/latest").status());
  }

  @Test
  void inferFlatOrNestedGivesTheModelsOwnProbabilitiesAndEchoesTheId() {
    String nested = ServerFixture.nested(split(pixels));
    for (String data : List.of(flat(pixels), nested)) {
      ServerFixture.Reply r =
          f.post(
              "/v2/models/mlp/versions/1/infer",
              "{\"id\": \"abc-1\", \"inputs\": [" + input("FP32", data) + "]}");
      assertEquals(200, r.status(), r.body());
      Map<String, Object> body = r.json();
      assertEquals("mlp", body.get("model_name"));
      assertEquals("1", body.get("model_version"));
      assertEquals("abc-1", body.get("id"));
      assertArrayEquals(rows(expected), output(body, "probabilities"));
      float[] classes = output(body, "class");
      for (int i = 0; i < 3; i++) {
        assertEquals(ServingModel.argmax(expected[i]), (int) classes[i]);
      }
      Map<?, ?> p = (Map<?, ?>) ((List<?>) body.get("outputs")).get(1);
      assertEquals(
          Map.of("name", "probabilities", "datatype", "FP32", "shape", List.of(3, 10)),
          Map.of("name", p.get("name"), "datatype", p.get("datatype"), "shape", p.get("shape")));
    }
  }

  @Test
  void uint8PixelsAreScaledAsTheModelWasTrainedAndOnlyAskedOutputsComeBack() {
    int[] u8 = new int[pixels.length];
    for (int i = 0; i < u8.length; i++) {
      u8[i] = Math.round(pixels[i] * 255);
    }
    ServerFixture.Reply r =
        f.post(
            "/v2/models/mlp/infer",
            "{\"inputs\": ["
                + input("UINT8", Arrays.toString(u8))
                + "], \"outputs\": [{\"name\": \"probabilities\"}]}");
    assertEquals(200, r.status(), r.body());
    List<?> outputs = (List<?>) r.json().get("outputs");
    assertEquals(1, outputs.size(), "only the output asked for");
    assertArrayEquals(rows(expected), output(r.json(), "probabilities"), 1e-6f);
    assertFalse(r.json().containsKey("id"), "no id was sent");
  }

  @Test
  void binaryTensorDataInAndOut() throws Exception {
    byte[] raw = new byte[pixels.length * 4];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(pixels);
    byte[] header =
        ("{\"inputs\": [{\"name\": \"image\", \"shape\": [3, 28, 28], \"datatype\": \"FP32\","
                + " \"parameters\": {\"binary_data_size\": "
                + raw.length
                + "}}], \"parameters\": {\"binary_data_output\": true}}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[header.length + raw.length];
    System.arraycopy(header, 0, body, 0, header.length);
    System.arraycopy(raw, 0, body, header.length, raw.length);
    HttpResponse<byte[]> res =
        f.http.send(
            f.request("/v2/models/mlp/infer")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", Integer.toString(header.length))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    int n = Integer.parseInt(res.headers().firstValue("Inference-Header-Content-Length").get());
    Map<String, Object> json =
        JSON.std.mapFrom(new String(res.body(), 0, n, StandardCharsets.UTF_8));
    List<?> outputs = (List<?>) json.get("outputs");
    // the model's order: class (3 int64), then probabilities (30 floats)
    assertEquals(Map.of("binary_data_size", 24), ((Map<?, ?>) outputs.get(0)).get("parameters"));
    assertEquals(Map.of("binary_data_size", 120), ((Map<?, ?>) outputs.get(1)).get("parameters"));
    assertEquals(n + 24 + 120, res.body().length);
    ByteBuffer b = ByteBuffer.wrap(res.body(), n, 144).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 3; i++) {
      assertEquals(ServingModel.argmax(expected[i]), b.getLong());
    }
    float[] probs = new float[30];
    b.asFloatBuffer().get(probs);
    assertArrayEquals(rows(expected), probs);
  }

  @Test
  void badRequestsAreTheSpecsErrorsAndTheServerGoesOn() {
    String one = "{\"name\": \"image\", \"shape\": [1, 28, 28], \"datatype\": \"FP32\", \"data\": ";
    String zeros = flat(new float[784]);
    Map<String, String> cases =
        Map.of(
            "{\"inputs\": [" + one.replace("image", "pixels") + zeros + "}]}",
            "unexpected inference input 'pixels'",
            "{\"inputs\": [" + one.replace("[1, 28, 28]", "[1, 784]") + zeros + "}]}",
            "has shape [1, 784]",
            "{\"inputs\": [" + one + flat(new float[783]) + "}]}",
            "its data is 783 values",
            "{\"inputs\": [" + one.replace("FP32", "BYTES") + zeros + "}]}",
            "has datatype BYTES",
            "{\"inputs\": [" + one + zeros + "}], \"outputs\": [{\"name\": \"logits\"}]}",
            "unexpected inference output 'logits'",
            "{\"inputs\": [" + one.replace("FP32", "UINT8") + zeros.replace("0.0,", "0.5,") + "}]}",
            "UINT8 pixels are whole",
            "{\"inputs\": []}",
            "has no 'inputs'",
            "{\"inputs\": [" + one + "[[0, 1], [2]]}]}",
            "ragged");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      ServerFixture.Reply r = f.post("/v2/models/mlp/infer", c.getKey());
      assertEquals(400, r.status(), c.getKey());
      assertTrue(r.error().contains(c.getValue()), r.error() + " should say " + c.getValue());
    }
    assertEquals(404, f.post("/v2/models/nope/infer", "{\"inputs\": []}").status());
    assertEquals(405, f.get("/v2/models/mlp/infer").status());
    assertEquals(405, f.post("/v2/health/ready", "{}").status());
    assertEquals(404, f.get("/v2/repository/index").status());
    ServerFixture.Reply after =
        f.post("/v2/models/mlp/infer", "{\"inputs\": [" + input("FP32", flat(pixels)) + "]}");
    assertEquals(200, after.status(), after.body());
  }

  @Test
  void inferIsCountedWithTheOtherRequests() {
    long before = inferCount();
    f.post("/v2/models/mlp/infer", "{\"inputs\": [" + input("FP32", flat(pixels)) + "]}");
    assertEquals(before + 1, inferCount());
  }

  /** The request latency histogram's count of v2 inference requests. */
  static long inferCount() {
    String series =
        ":tensorflow:serving:request_latency_count{model_name=\"mlp\",API=\"infer\",entrypoint=\"REST\"} ";
    for (String line : f.get("/monitoring/prometheus/metrics").body().split("\n")) {
      if (line.startsWith(series)) {
        return Long.parseLong(line.substring(series.length()).trim());
      }
    }
    return 0;
  }

  static float[][] split(float[] all) {
    float[][] images = new float[all.length / 784][];
    for (int i = 0; i < images.length; i++) {
      images[i] = Arrays.copyOfRange(all, i * 784, (i + 1) * 784);
    }
    return images;
  }
}
