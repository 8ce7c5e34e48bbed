package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.KerasExports;
import org.tfmnist.TestModels;
import org.tfmnist.export.ExportException;
import org.tfmnist.runtime.ServingModel;

/**
 * Keras 3's {@code model.export()} names its endpoint {@code serve} (and also {@code
 * serving_default}); a SavedModel may have {@code serve} alone. Both load, predict, and are served
 * as TF Serving serves them: status, metadata listing every signature, and {@code :predict} with or
 * without a {@code signature_name} the model has, a 400 naming the ones it has for one it lacks.
 * Run by {@code make python-check}, which makes the SavedModels with Keras
 * (python/make_keras_exports.py).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KerasExportTest {

  @TempDir static Path tmp;
  static ServerFixture f;

  static Path fixture(String name) {
    return KerasExports.fixture(name);
  }

  @BeforeAll
  static void start() throws IOException {
    KerasExports.assumeMade();
    Path models = tmp.resolve("models");
    TestModels.copy(fixture("both"), models.resolve("both/1"));
    TestModels.copy(fixture("serve-only"), models.resolve("serveonly/1"));
    TestModels.copy(fixture("custom"), models.resolve("custom/1"));
    // serving_default and a second signature that computes something else: only the first is run
    KerasExports.edited(
        "both",
        models.resolve("other/1"),
        KerasExports.addPixelsSignature("pixels", "serving_default"));
    f = new ServerFixture(ServerFixture.config(models));
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void bothSignaturesOfAKerasExportNameTheFunctionServed() {
    try (ServingModel m = ServingModel.load(fixture("both"))) {
      assertEquals("serving_default", m.signatureKey());
      assertEquals(Set.of("serve", "serving_default"), m.signatureNames());
      assertTrue(m.runs("serve"));
      float[][] p = m.predict(new float[2 * 784], 2);
      assertEquals(1.0, sum(p[0]), 1e-5, "softmax probabilities");
    }
  }

  @Test
  void aModelWithServeAloneIsRunThroughIt() {
    try (ServingModel m = ServingModel.load(fixture("serve-only"))) {
      assertEquals("serve", m.signatureKey());
      assertEquals(Set.of("serve"), m.signatureNames());
      assertFalse(m.runs("serving_default"));
      assertEquals(1.0, sum(m.predict(new float[784], 1)[0]), 1e-5);
    }
  }

  @Test
  void statusAndMetadataOfAServeOnlyModel() {
    ServerFixture.Reply status = f.get("/v1/models/serveonly");
    assertEquals(200, status.status(), status.body());
    ServerFixture.Reply meta = f.get("/v1/models/serveonly/metadata");
    assertEquals(200, meta.status(), meta.body());
    Map<?, ?> defs =
        (Map<?, ?>)
            ((Map<?, ?>) ((Map<?, ?>) meta.json().get("metadata")).get("signature_def"))
                .get("signature_def");
    // every signature, as TF Serving lists them (TensorFlow's __saved_model_init_op too)
    assertEquals(Set.of("serve", "__saved_model_init_op"), Set.copyOf(defs.keySet()), meta.body());
    ServerFixture.Reply both = f.get("/v1/models/both/metadata");
    Map<?, ?> bothDefs =
        (Map<?, ?>)
            ((Map<?, ?>) ((Map<?, ?>) both.json().get("metadata")).get("signature_def"))
                .get("signature_def");
    assertEquals(
        Set.of("serve", "serving_default", "__saved_model_init_op"),
        Set.copyOf(bothDefs.keySet()),
        both.body());
  }

  @Test
  void predictTakesTheSignatureNamesTheModelHas() {
    String instances = ServerFixture.instances(new float[][] {new float[784]});
    for (String model : List.of("both", "serveonly")) {
      ServerFixture.Reply plain = f.post("/v1/models/" + model + ":predict", instances);
      assertEquals(200, plain.status(), model + ": " + plain.body());
      String named = instances.replaceFirst("\\{", "{\"signature_name\": \"serve\", ");
      ServerFixture.Reply serve = f.post("/v1/models/" + model + ":predict", named);
      assertEquals(200, serve.status(), model + ": " + serve.body());
      assertEquals(plain.body(), serve.body());
    }
    String wrong = instances.replaceFirst("\\{", "{\"signature_name\": \"serving_default\", ");
    ServerFixture.Reply r = f.post("/v1/models/serveonly:predict", wrong);
    assertEquals(400, r.status(), r.body());
    assertEquals(
        "Serving signature name: \"serving_default\" not found in signature def"
            + " (this model serves: \"serve\")",
        r.error());
  }

  @Test
  void anEndpointOfTheUsersOwnNameIsServedUnderItAndServingDefault() {
    try (ServingModel m = ServingModel.load(fixture("custom"))) {
      assertEquals(Set.of("classify_digits", "serving_default"), m.signatureNames());
      assertEquals("inputs", m.inputKey());
    }
    String instances = ServerFixture.instances(new float[][] {new float[784]});
    ServerFixture.Reply plain = f.post("/v1/models/custom:predict", instances);
    assertEquals(200, plain.status(), plain.body());
    ServerFixture.Reply named =
        f.post(
            "/v1/models/custom/versions/1:predict",
            instances.replaceFirst("\\{", "{\"signature_name\": \"classify_digits\", "));
    assertEquals(200, named.status(), named.body());
    assertEquals(plain.body(), named.body());
    ServerFixture.Reply serve =
        f.post(
            "/v1/models/custom:predict",
            instances.replaceFirst("\\{", "{\"signature_name\": \"serve\", "));
    assertEquals(400, serve.status(), serve.body());
    assertEquals(
        "Serving signature name: \"serve\" not found in signature def"
            + " (this model serves: \"classify_digits\", \"serving_default\")",
        serve.error());
  }

  @Test
  void aSignatureComputingSomethingElseIsNotRunInsteadOfTheModel() {
    ServerFixture.Reply meta = f.get("/v1/models/other/metadata");
    assertTrue(
        meta.body().contains("\"pixels\""), "listed, as TF Serving lists it: " + meta.body());
    String instances = ServerFixture.instances(new float[][] {new float[784]});
    ServerFixture.Reply r =
        f.post(
            "/v1/models/other:predict",
            instances.replaceFirst("\\{", "{\"signature_name\": \"pixels\", "));
    assertEquals(400, r.status(), r.body());
    assertTrue(r.error().startsWith("Serving signature name: \"pixels\" is not served"), r.body());
    assertTrue(r.error().contains("\"serve\", \"serving_default\""), r.body());
    ServerFixture.Reply ok =
        f.post(
            "/v1/models/other:predict",
            instances.replaceFirst("\\{", "{\"signature_name\": \"serve\", "));
    assertEquals(200, ok.status(), ok.body());
  }

  @Test
  void versionedStatusAndMetadataOfAServeOnlyModel() {
    ServerFixture.Reply status = f.get("/v1/models/serveonly/versions/1");
    assertEquals(200, status.status(), status.body());
    assertTrue(status.body().contains("\"AVAILABLE\""), status.body());
    ServerFixture.Reply meta = f.get("/v1/models/serveonly/versions/1/metadata");
    assertEquals(200, meta.status(), meta.body());
    Map<?, ?> spec = (Map<?, ?>) meta.json().get("model_spec");
    assertEquals("serveonly", spec.get("name"));
    assertEquals("1", spec.get("version"));
    Map<?, ?> serve =
        (Map<?, ?>)
            ((Map<?, ?>)
                    ((Map<?, ?>) ((Map<?, ?>) meta.json().get("metadata")).get("signature_def"))
                        .get("signature_def"))
                .get("serve");
    Map<?, ?> input = (Map<?, ?>) ((Map<?, ?>) serve.get("inputs")).get("keras_tensor");
    assertEquals("serve_keras_tensor:0", input.get("name"), meta.body());
    assertEquals("DT_FLOAT", input.get("dtype"));
    assertTrue(((Map<?, ?>) serve.get("outputs")).containsKey("output_0"), meta.body());
    assertEquals("tensorflow/serving/predict", serve.get("method_name"));
    ServerFixture.Reply none = f.get("/v1/models/serveonly/versions/2/metadata");
    assertEquals(404, none.status(), none.body());
  }

  @Test
  void withoutServingDefaultTheOneSignatureIsTakenAndSeveralAreNamed() {
    Path custom =
        KerasExports.edited(
            "custom", tmp.resolve("custom-alone"), mg -> mg.removeSignatureDef("serving_default"));
    try (ServingModel m = ServingModel.load(custom)) {
      assertEquals("classify_digits", m.signatureKey());
      assertEquals(1.0, sum(m.predict(new float[784], 1)[0]), 1e-5);
    }
    Path two =
        KerasExports.edited(
            "serve-only",
            tmp.resolve("two-no-default"),
            KerasExports.addPixelsSignature("pixels", "serve"));
    ExportException e = assertThrows(ExportException.class, () -> ServingModel.load(two));
    assertEquals(
        two
            + ": Serving signature name: \"serving_default\" not found in signature def, and no"
            + " single other signature to serve instead (it has: pixels, serve)",
        e.getMessage());
  }

  private static double sum(float[] p) {
    double s = 0;
    for (float v : p) {
      s += v;
    }
    return s;
  }
}
