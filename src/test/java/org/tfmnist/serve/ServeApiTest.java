package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
 * TF Serving's REST contract on a served MLP: status, metadata, {@code :predict} in both forms with
 * the same probabilities the SavedModel gives in-process, and every malformed request a clear 4xx
 * with {@code {"error": ...}}, after which the server still serves.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ServeApiTest {

  @TempDir static Path tmp;
  static ServerFixture f;
  static float[][] images;
  static float[][] expected;

  @BeforeAll
  static void start() throws IOException {
    Path models = tmp.resolve("models");
    TestModels.copy(TestModels.mlp(), models.resolve("mlp/1"));
    f = new ServerFixture(ServerFixture.config(models));
    LabeledImages test = TestData.test();
    images = new float[5][];
    for (int i = 0; i < 5; i++) {
      images[i] = test.imageAsFloats(i);
    }
    float[] flat = new float[5 * 784];
    for (int i = 0; i < 5; i++) {
      System.arraycopy(images[i], 0, flat, i * 784, 784);
    }
    try (ServingModel m = ServingModel.load(TestModels.mlp())) {
      expected = m.predict(flat, 5);
    }
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void statusListsTheServedVersion() {
    ServerFixture.Reply r = f.get("/v1/models/mlp");
    assertEquals(200, r.status(), r.body());
    assertEquals("application/json", r.raw().headers().firstValue("Content-Type").orElse(""));
    List<?> versions = (List<?>) r.json().get("model_version_status");
    Map<?, ?> v = (Map<?, ?>) versions.get(0);
    assertEquals("1", v.get("version"));
    assertEquals("AVAILABLE", v.get("state"));
    assertEquals(Map.of("error_code", "OK", "error_message", ""), v.get("status"));
    assertEquals(200, f.get("/v1/models/mlp/versions/1").status());
    assertEquals(200, f.get("/V1/MODELS/mlp").status(), "paths match case-insensitively");
    ServerFixture.Reply missing = f.get("/v1/models/mlp/versions/9");
    assertEquals(404, missing.status());
    assertEquals("Could not find version 9 of model mlp", missing.error());
    assertEquals(404, f.get("/v1/models/nope").status());
    Map<String, Object> all = f.get("/v1/models").json();
    assertEquals("mlp", ((Map<?, ?>) ((List<?>) all.get("models")).get(0)).get("name"));
  }

  @Test
  void metadataIsTheSignatureAsTfServingPrintsIt() {
    ServerFixture.Reply r = f.get("/v1/models/mlp/metadata");
    assertEquals(200, r.status(), r.body());
    Map<?, ?> spec = (Map<?, ?>) r.json().get("model_spec");
    assertEquals(Map.of("name", "mlp", "signature_name", "", "version", "1"), spec);
    Map<?, ?> sig =
        (Map<?, ?>) path(r.json(), "metadata", "signature_def", "signature_def", "serving_default");
    assertEquals("tensorflow/serving/predict", sig.get("method_name"));
    Map<?, ?> image = (Map<?, ?>) path(sig, "inputs", "image");
    assertEquals("DT_FLOAT", image.get("dtype"));
    assertEquals(
        List.of(
            Map.of("size", "-1", "name", ""),
            Map.of("size", "28", "name", ""),
            Map.of("size", "28", "name", "")),
        path(image, "tensor_shape", "dim"));
    assertEquals(false, path(image, "tensor_shape", "unknown_rank"));
    assertEquals("DT_INT64", path(sig, "outputs", "class", "dtype"));
    assertEquals("DT_FLOAT", path(sig, "outputs", "probabilities", "dtype"));
    assertEquals(200, f.get("/v1/models/mlp/versions/1/metadata").status());
  }

  @Test
  void predictRowFormGivesTheModelsOwnProbabilities() {
    ServerFixture.Reply r = f.post("/v1/models/mlp:predict", ServerFixture.instances(images));
    assertEquals(200, r.status(), r.body());
    assertEquals("1", r.version());
    List<?> predictions = (List<?>) r.json().get("predictions");
    assertEquals(5, predictions.size());
    for (int i = 0; i < 5; i++) {
      Map<?, ?> p = (Map<?, ?>) predictions.get(i);
      assertEquals(ServingModel.argmax(expected[i]), ((Number) p.get("class")).intValue());
      assertArrayEquals(expected[i], floats((List<?>) p.get("probabilities")), 1e-6f);
    }
    // the instances as objects naming the input, and a version path
    String named =
        "{\"signature_name\": \"serving_default\", \"instances\": [{\"image\": "
            + ServerFixture.nested(new float[][] {images[3]}).replaceAll("^\\[|\\]$", "")
            + "}]}";
    ServerFixture.Reply one = f.post("/v1/models/mlp/versions/1:predict", named);
    assertEquals(200, one.status(), one.body());
    Map<?, ?> p = (Map<?, ?>) ((List<?>) one.json().get("predictions")).get(0);
    assertArrayEquals(expected[3], floats((List<?>) p.get("probabilities")), 1e-6f);
  }

  @Test
  void predictColumnarForm() {
    String body = "{\"inputs\": " + ServerFixture.nested(images) + "}";
    ServerFixture.Reply r = f.post("/v1/models/mlp:predict", body);
    assertEquals(200, r.status(), r.body());
    Map<?, ?> outputs = (Map<?, ?>) r.json().get("outputs");
    List<?> classes = (List<?>) outputs.get("class");
    List<?> probs = (List<?>) outputs.get("probabilities");
    for (int i = 0; i < 5; i++) {
      assertEquals(ServingModel.argmax(expected[i]), ((Number) classes.get(i)).intValue());
      assertArrayEquals(expected[i], floats((List<?>) probs.get(i)), 1e-6f);
    }
    String named = "{\"inputs\": {\"image\": " + ServerFixture.nested(images) + "}}";
    assertEquals(200, f.post("/v1/models/mlp:predict", named).status());
  }

  @Test
  void malformedRequestsAreClear400s() {
    String one = ServerFixture.nested(new float[][] {images[0]});
    String flat = Arrays.toString(images[0]);
    String[][] cases = {
      {
        "{\"instances\": " + one.substring(0, one.indexOf(',', one.length() / 2) + 1),
        "JSON Parse error: Unexpected end-of-input"
      },
      {"{\"instances\": [[[0.5, }", "JSON Parse error"},
      {"[1, 2, 3]", "not a JSON object"},
      {"", "The document is empty"},
      {
        "{\"instances\": " + one + ", \"inputs\": " + one + "}",
        "only one of 'inputs' or " + "'instances'"
      },
      {"{\"foo\": 1}", "Missing 'inputs' or 'instances' key"},
      {"{\"instances\": []}", "No values in 'instances' array"},
      {"{\"instances\": 3}", "Expecting 'instances' to be an list/array"},
      {
        "{\"instances\": [" + flat + "]}",
        "instances[0] has shape [784]; input 'image' takes "
            + "images of shape [any, 28, 28]".replace("[any, ", "[")
      },
      {"{\"instances\": [[[1, 2], [3]]]}", "ragged"},
      {"{\"instances\": [[[\"a\"]]]}", "is not of expected type: float"},
      {"{\"instances\": [[[true]]]}", "is not of expected type: float"},
      {one.replace("[[[0.0,", "{\"instances\": [[[NaN,") + "}", "holds NaN"},
      {one.replace("[[[0.0,", "{\"instances\": [[[Infinity,") + "}", "holds Infinity"},
      {"{\"instances\": [{\"pixels\": 1}]}", "does not have named input: pixels"},
      {
        "{\"signature_name\": \"predict\", \"instances\": " + one + "}",
        "Serving signature name: \"predict\" not found in signature def"
      },
      {
        "{\"signature_name\": 7, \"instances\": " + one + "}",
        "'signature_name' key must be " + "a string"
      },
    };
    for (String[] c : cases) {
      ServerFixture.Reply r = f.post("/v1/models/mlp:predict", c[0]);
      assertEquals(400, r.status(), c[1] + ": " + r.body());
      assertTrue(r.error().contains(c[1]), c[1] + " in " + r.body());
      assertFalse(r.error().contains("\n"), r.body());
    }
    assertStillServing();
  }

  @Test
  void wrongPathsModelsAndVersions() {
    String body = ServerFixture.instances(new float[][] {images[0]});
    ServerFixture.Reply model = f.post("/v1/models/nope:predict", body);
    assertEquals(404, model.status(), model.body());
    assertEquals("Servable not found for request: Latest(nope)", model.error());
    ServerFixture.Reply v = f.post("/v1/models/mlp/versions/7:predict", body);
    assertEquals(404, v.status());
    assertEquals("Servable not found for request: Specific(mlp, 7)", v.error());
    ServerFixture.Reply label = f.post("/v1/models/mlp/labels/stable:predict", body);
    assertEquals(400, label.status());
    assertTrue(label.error().startsWith("Unrecognized servable version label: stable"));
    ServerFixture.Reply verb = f.post("/v1/models/mlp:explain", body);
    assertEquals(400, verb.status());
    assertEquals("Malformed request: POST /v1/models/mlp:explain", verb.error());
    assertEquals(400, f.get("/v1/models/mlp:predict").status(), "GET on a POST route");
    assertEquals(400, f.post("/v1/models/mlp:classify", body).status(), "no classify signature");
    // the verb is refused before the body is parsed: a bad body does not hide it
    ServerFixture.Reply classify = f.post("/v1/models/mlp:classify", "not json");
    assertEquals(400, classify.status(), classify.body());
    assertTrue(
        classify.error().startsWith("Expected classify signature method_name"), classify.error());
    assertEquals(404, f.get("/no/such/page").status());
    assertStillServing();
  }

  @Test
  void healthReadinessMetricsAndThePage() {
    assertEquals(200, f.get("/healthz").status());
    ServerFixture.Reply ready = f.get("/readyz");
    assertEquals(200, ready.status(), ready.body());
    f.post("/v1/models/mlp:predict", ServerFixture.instances(new float[][] {images[0]}));
    f.post("/v1/models/mlp:predict", "{}");
    String m = f.get("/monitoring/prometheus/metrics").body();
    assertTrue(m.contains("# TYPE :tensorflow:serving:request_count counter"), m);
    assertTrue(
        m.matches(
            "(?s).*:tensorflow:serving:request_count\\{model_name=\"mlp\","
                + "status=\"OK\"} [1-9].*"),
        m);
    assertTrue(
        m.contains(
            ":tensorflow:serving:request_count{model_name=\"mlp\","
                + "status=\"INVALID_ARGUMENT\"}"),
        m);
    assertTrue(
        m.contains(
            ":tensorflow:serving:request_latency_bucket{model_name=\"mlp\","
                + "API=\"predict\",entrypoint=\"REST\",le=\"10\"}"),
        m);
    assertTrue(
        m.contains(
            ":tensorflow:serving:runtime_latency_count{model_name=\"mlp\","
                + "API=\"predict\",runtime=\"TF1\"}"),
        m);
    assertTrue(
        m.contains(
            ":tensorflow:serving:batching_session:processed_batch_size_sum"
                + "{thread_pool_name=\"mlp\"}"),
        m);
    assertTrue(m.contains(":tensorflow:serving:batching_session:queuing_latency_bucket"), m);
    ServerFixture.Reply page = f.get("/");
    assertEquals(200, page.status());
    assertTrue(page.body().contains("<canvas id=\"pad\""), page.body());
    assertEquals(200, f.get("/app.js").status());
    assertEquals(200, f.get("/style.css").status());
    assertNull(
        page.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null),
        "CORS is opt-in");
  }

  @Test
  void corsIsOptIn() throws IOException {
    ServeConfig cfg =
        ServerFixture.with(ServerFixture.config(tmp.resolve("models")), Map.of("cors", true));
    try (ServerFixture c = new ServerFixture(cfg)) {
      ServerFixture.Reply pre =
          c.send(
              c.request("/v1/models/mlp:predict")
                  .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "http://example.test")
                  .header("Access-Control-Request-Method", "POST")
                  .build());
      assertEquals(204, pre.status());
      assertEquals("*", pre.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null));
      assertTrue(
          pre.raw()
              .headers()
              .firstValue("Access-Control-Allow-Methods")
              .orElse("")
              .contains("POST"));
      ServerFixture.Reply r =
          c.post("/v1/models/mlp:predict", ServerFixture.instances(new float[][] {images[0]}));
      assertEquals(200, r.status());
      assertEquals("*", r.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }
  }

  static void assertStillServing() {
    ServerFixture.Reply r =
        f.post("/v1/models/mlp:predict", ServerFixture.instances(new float[][] {images[2]}));
    assertEquals(200, r.status(), r.body());
  }

  static Object path(Object json, String... keys) {
    Object o = json;
    for (String k : keys) {
      o = ((Map<?, ?>) o).get(k);
    }
    return o;
  }

  static float[] floats(List<?> list) {
    float[] a = new float[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = ((Number) list.get(i)).floatValue();
    }
    return a;
  }
}
