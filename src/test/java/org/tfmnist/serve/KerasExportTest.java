package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
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
import org.tfmnist.TestModels;
import org.tfmnist.export.ServingModel;

/**
 * Keras 3's {@code model.export()} names its endpoint {@code serve} (and also {@code
 * serving_default}); a SavedModel may have {@code serve} alone. Both load, predict, and are served
 * as TF Serving serves them: status, metadata listing every signature, and {@code :predict} with or
 * without a {@code signature_name} the model has, a 400 for one it lacks. The fixtures and the
 * script that made them are under src/test/resources/keras-export.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KerasExportTest {

  @TempDir static Path tmp;
  static ServerFixture f;

  static Path fixture(String name) {
    try {
      return Path.of(KerasExportTest.class.getResource("/keras-export/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void start() throws IOException {
    Path models = tmp.resolve("models");
    TestModels.copy(fixture("both"), models.resolve("both/1"));
    TestModels.copy(fixture("serve-only"), models.resolve("serveonly/1"));
    f = new ServerFixture(ServerFixture.config(models));
  }

  @AfterAll
  static void stop() {
    f.close();
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
    assertTrue(both.body().contains("\"serve\"") && both.body().contains("\"serving_default\""));
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
    assertTrue(r.error().contains("serving_default"), r.body());
  }

  private static double sum(float[] p) {
    double s = 0;
    for (float v : p) {
      s += v;
    }
    return s;
  }
}
