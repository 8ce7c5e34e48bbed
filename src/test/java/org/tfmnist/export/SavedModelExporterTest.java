package org.tfmnist.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.nn.Activation;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Flatten;
import org.tfmnist.nn.Sequential;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.train.Model;
import org.tfmnist.train.Recipe;

/** A model trained on 5,000 images, exported, reloaded: the same probabilities, nothing more. */
class SavedModelExporterTest {

  @TempDir static Path tmp;
  static Path exported;
  static float[][] trained;
  static final Preset PRESET = Presets.mlpDropout();

  @BeforeAll
  static void trainAndExport() {
    Recipe r = PRESET.recipe().withEpochs(1);
    try (Model m = new Model(PRESET.model(), 5, null)) {
      m.compile(r.optimizer(), r.loss());
      m.fit(TestData.train(), TestData.test(), r.epochs(), r.batchSize(), List.of());
      trained = m.predict(TestData.test());
      exported = tmp.resolve("models/mlp-dropout/1");
      m.export(exported, Map.of("note.txt", "hello"));
    }
  }

  @Test
  void theReloadedModelGivesTheTrainedModelsProbabilities() {
    LabeledImages test = TestData.test();
    try (ServingModel m = ServingModel.load(exported.getParent())) {
      assertEquals(exported, m.dir(), "a model directory resolves to its highest version");
      assertEquals("image", m.inputKey());
      assertEquals("probabilities", m.outputKey());
      float[][] p = m.predict(test);
      double maxDiff = 0;
      for (int i = 0; i < p.length; i++) {
        assertEquals(ServingModel.argmax(trained[i]), ServingModel.argmax(p[i]));
        for (int c = 0; c < 10; c++) {
          maxDiff = Math.max(maxDiff, Math.abs(p[i][c] - trained[i][c]));
        }
      }
      assertTrue(maxDiff < 1e-6, "max |dp| = " + maxDiff);
    }
  }

  @Test
  void theSavedModelHoldsTheInferenceGraphOnly() throws IOException {
    SavedModel sm = SavedModel.parseFrom(Files.readAllBytes(exported.resolve("saved_model.pb")));
    MetaGraphDef meta = sm.getMetaGraphs(0);
    assertEquals(java.util.List.of("serve"), meta.getMetaInfoDef().getTagsList());
    Set<String> types =
        meta.getGraphDef().getNodeList().stream().map(NodeDef::getOp).collect(Collectors.toSet());
    for (String forbidden :
        new String[] {
          "VariableV2",
          "ApplyAdam",
          "ResourceGather",
          "StatelessRandomUniform",
          "StatelessRandomUniformV2",
          "RandomUniform",
          "Placeholder_1"
        }) {
      assertFalse(types.contains(forbidden), forbidden + " in " + types);
    }
    assertTrue(types.contains("VarHandleOp") && types.contains("MatMul"), types.toString());
    assertEquals(
        1,
        meta.getGraphDef().getNodeList().stream()
            .filter(n -> n.getOp().equals("Placeholder"))
            .count(),
        "the image is the only input");
    SignatureDef sig = meta.getSignatureDefOrThrow("serving_default");
    assertEquals("tensorflow/serving/predict", sig.getMethodName());
    assertEquals(Set.of("image"), sig.getInputsMap().keySet());
    assertEquals(Set.of("probabilities", "class"), sig.getOutputsMap().keySet());
    assertEquals(org.tensorflow.proto.DataType.DT_INT64, sig.getOutputsOrThrow("class").getDtype());
    assertEquals(6, meta.getCollectionDefOrThrow("variables").getBytesList().getValueCount());
    assertEquals(
        6, meta.getCollectionDefOrThrow("trainable_variables").getBytesList().getValueCount());
    // weights only: 669,706 floats, no optimizer slots, no data
    long bytes;
    try (var s = Files.list(exported.resolve("variables"))) {
      bytes = s.mapToLong(p -> p.toFile().length()).sum();
    }
    assertTrue(bytes < 669_706 * 4 + 10_000, bytes + " bytes of variables");
    assertEquals("hello", Files.readString(exported.resolve("assets.extra/note.txt")));
  }

  @Test
  void anExistingVersionIsNeverOverwritten() throws IOException {
    Path target = tmp.resolve("models/mlp-dropout/1");
    Map<String, TFloat32> none = Map.of();
    ExportException e =
        assertThrows(
            ExportException.class,
            () -> SavedModelExporter.export(PRESET.model(), none, target, Map.of()));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    try (var s = Files.list(target.getParent())) {
      assertEquals(
          Set.of("1"),
          s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
          "no temporary directory left behind");
    }
    assertEquals(2, ModelDirs.nextVersion(target.getParent()));
  }

  @Test
  void aFailedExportLeavesNothingBehind() throws IOException {
    Path target = tmp.resolve("models/broken/1");
    Map<String, TFloat32> none = Map.of();
    assertThrows(
        ExportException.class,
        () -> SavedModelExporter.export(PRESET.model(), none, target, Map.of()));
    try (var s = Files.list(target.getParent())) {
      assertEquals(0, s.count(), "neither the version nor a temporary directory");
    }
  }

  @Test
  void modelsThatDoNotFitAreRefusedWithOneLine() throws IOException {
    Path notModel = Files.createDirectories(tmp.resolve("empty/3"));
    ExportException e = assertThrows(ExportException.class, () -> ServingModel.load(notModel));
    assertTrue(e.getMessage().contains("not a SavedModel"), e.getMessage());

    Sequential small =
        Sequential.of(
            "small", Sequential.input(5, 5), new Flatten(), new Dense(10, Activation.SOFTMAX));
    Path wrong = tmp.resolve("wrong/1");
    try (TFloat32 k = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(25, 10));
        TFloat32 b = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(10))) {
      SavedModelExporter.export(small, Map.of("dense_kernel", k, "dense_bias", b), wrong, Map.of());
    }
    ExportException e2 = assertThrows(ExportException.class, () -> ServingModel.load(wrong));
    assertTrue(e2.getMessage().contains("28x28"), e2.getMessage());
    assertFalse(e2.getMessage().contains("\n"));

    // a SavedModel (TF Java's own exporter) with two signatures, neither serving_default
    Path twoSigs = tmp.resolve("two/1");
    try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
      var x = tf.withName("x").placeholder(TFloat32.class);
      var y = tf.withName("y").identity(x);
      try (org.tensorflow.Session sess = new org.tensorflow.Session(g)) {
        org.tensorflow.SavedModelBundle.exporter(twoSigs.toString())
            .withSession(sess)
            .withSignature(
                org.tensorflow.Signature.builder().key("a").input("x", x).output("y", y).build())
            .withSignature(
                org.tensorflow.Signature.builder().key("b").input("x", x).output("y", y).build())
            .export();
      }
    }
    ExportException e3 = assertThrows(ExportException.class, () -> ServingModel.load(twoSigs));
    assertTrue(
        e3.getMessage()
            .endsWith(
                ": Serving signature name: \"serving_default\" not found in signature def, and"
                    + " no single other signature to serve instead (it has: a, b)"),
        e3.getMessage());
  }
}
