package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tfmnist.TestData;
import org.tfmnist.cli.Main;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.eval.Evaluation;
import org.tfmnist.graph.HeavyOp;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.nn.Activation;
import org.tfmnist.nn.ActivationLayer;
import org.tfmnist.nn.BatchNormalization;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Flatten;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.KerasAdam;
import org.tfmnist.optim.KerasRMSprop;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.runtime.ServingModel;

/**
 * Keras' mixed_bfloat16 policy: the step's convolutions and products compute in bfloat16 while the
 * training graph's variables and the optimizer's slots and updates stay float32; batch
 * normalization computes its statistics in float32; it learns as float32 does; the exported
 * SavedModel is float32 throughout; checkpoints and training.json record the policy.
 */
@Timeout(300)
class MixedPrecisionTest {

  @TempDir Path tmp;

  private static Model model(Preset p, DTypePolicy policy, long seed) {
    Model m = new Model(p.model(), seed, null).dtypePolicy(policy);
    m.compile(p.recipe().optimizer(), p.recipe().loss());
    return m;
  }

  @Test
  void policiesHaveKerasNames() {
    assertEquals(DTypePolicy.MIXED_BFLOAT16, DTypePolicy.parse("mixed_bfloat16"));
    assertEquals(DTypePolicy.FLOAT32, DTypePolicy.parse(" Float32 "));
    assertThrows(IllegalArgumentException.class, () -> DTypePolicy.parse("mixed_float16"));
  }

  @Test
  void theMlpLearnsUnderMixedBfloat16AsUnderFloat32() {
    double[] acc = new double[2];
    for (DTypePolicy policy : DTypePolicy.values()) {
      try (Model m = model(Presets.mlp(), policy, 11)) {
        History h = m.fit(TinyRuns.train(), TinyRuns.validation(), 3, 128, List.of());
        assertTrue(h.epochs().get(2).loss() < h.epochs().get(0).loss(), policy + ": " + h);
        acc[policy.ordinal()] = h.last().valAccuracy();
        for (HeavyOp op : m.graph().heavyOps()) {
          assertEquals(policy == DTypePolicy.MIXED_BFLOAT16, op.bf16(), op.name());
        }
        assertVariablesAndSlotsFloat32(m, KerasRMSprop.RMS, KerasRMSprop.MOMENTUM);
        GraphDef g = graphDef(m);
        List<NodeDef> updates = ops(g, "ApplyRMSProp");
        assertEquals(m.network().weights().size(), updates.size(), "one update per weight");
        updates.forEach(u -> assertEquals(DataType.DT_FLOAT, type(u, "T"), u.getName()));
        // the layers' own arithmetic is in the policy's compute type
        DataType compute =
            policy == DTypePolicy.MIXED_BFLOAT16 ? DataType.DT_BFLOAT16 : DataType.DT_FLOAT;
        for (String layerOp :
            List.of("train/dense/MatMul", "train/dense/BiasAdd", "train/dense_1/MatMul")) {
          assertEquals(compute, type(node(g, layerOp), "T"), layerOp);
        }
      }
    }
    assertTrue(acc[0] > 0.8 && acc[1] > 0.8, java.util.Arrays.toString(acc));
    assertEquals(acc[0], acc[1], 0.03, "float32 vs mixed_bfloat16 after 3 epochs");
  }

  @Test
  void aMixedCnnStepRunsInBfloat16AndExportsFloat32() throws IOException {
    LabeledImages train = TinyRuns.train().first(256);
    LabeledImages val = TinyRuns.validation().first(200);
    try (Model m = model(Presets.cnn(), DTypePolicy.MIXED_BFLOAT16, 5)) {
      m.fit(train, val, 1, 128, List.of());
      List<HeavyOp> ops = m.graph().heavyOps();
      assertEquals(11, ops.size());
      assertTrue(ops.stream().allMatch(HeavyOp::bf16), ops.toString());
      double inGraph = m.evaluate(val).accuracy();

      Path dir = tmp.resolve("cnn").resolve("1");
      m.export(dir, Map.of());
      SavedModel sm = SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb")));
      for (NodeDef n : sm.getMetaGraphs(0).getGraphDef().getNodeList()) {
        for (AttrValue a : n.getAttrMap().values()) {
          assertFalse(a.getType() == DataType.DT_BFLOAT16, n.getName() + " is bfloat16");
        }
      }
      try (ServingModel served = ServingModel.load(dir)) {
        double exported = Evaluation.of(served.predict(val), val).accuracy();
        // the same weights, computed in float32 instead of bfloat16: a few images may move
        assertEquals(inGraph, exported, 0.03);
      }
    }
  }

  @Test
  void checkpointsRecordThePolicyAndOlderOnesReadAsFloat32() throws IOException {
    Recipe r = Presets.cnn().recipe().withDTypePolicy(DTypePolicy.MIXED_BFLOAT16);
    Checkpoints.State s =
        Checkpoints.State.builder("cnn").epoch(1).recipe(r).seed(3).globalStep(469).build();
    String json = StateJson.write(s);
    assertTrue(json.contains("\"dtype_policy\" : \"mixed_bfloat16\""), json);
    assertEquals(r, StateJson.read(json).recipe());
    String older = json.replace("\"dtype_policy\" : \"mixed_bfloat16\",", "");
    assertEquals(DTypePolicy.FLOAT32, StateJson.read(older).recipe().dtypePolicy());
  }

  @Test
  void batchNormalizationComputesItsStatisticsInFloat32() {
    Sequential net =
        Sequential.of(
            "bn_mlp",
            Sequential.input(28, 28),
            new Flatten(),
            new Dense(16, Activation.LINEAR),
            new BatchNormalization(),
            new ActivationLayer(Activation.RELU),
            new Dense(10, Activation.SOFTMAX));
    try (Model m = new Model(net, 3, null).dtypePolicy(DTypePolicy.MIXED_BFLOAT16)) {
      m.compile(OptimizerSpec.adam(), Presets.mlp().recipe().loss());
      m.fit(TinyRuns.train().first(256), TinyRuns.validation().first(100), 1, 128, List.of());
      GraphDef g = graphDef(m);
      // the layer around it computes in bfloat16 ...
      assertEquals(DataType.DT_BFLOAT16, type(node(g, "train/dense/MatMul"), "T"));
      // ... it takes that bfloat16 input up to float32, and its batch mean and variance (the two
      // Mean ops of its training branch) and the normalisation are float32
      NodeDef in = node(g, "train/batch_normalization/Cast");
      assertEquals(DataType.DT_BFLOAT16, type(in, "SrcT"));
      assertEquals(DataType.DT_FLOAT, type(in, "DstT"));
      List<NodeDef> moments =
          ops(g, "Mean").stream()
              .filter(n -> n.getName().startsWith("train/batch_normalization/"))
              .toList();
      assertEquals(2, moments.size(), moments.toString());
      moments.forEach(n -> assertEquals(DataType.DT_FLOAT, type(n, "T"), n.getName()));
      for (String op : List.of("SquaredDifference", "Rsqrt")) {
        List<NodeDef> found =
            ops(g, op).stream()
                .filter(n -> n.getName().startsWith("train/batch_normalization/"))
                .toList();
        assertEquals(1, found.size(), op);
        assertEquals(DataType.DT_FLOAT, type(found.get(0), "T"), op);
      }
      // the moving statistics it updates are float32 variables, and Adam's slots too
      assertVariablesAndSlotsFloat32(m, KerasAdam.FIRST_MOMENT, KerasAdam.SECOND_MOMENT);
      // and it hands bfloat16 on to the next layer
      NodeDef out = node(g, "train/batch_normalization/Cast_1");
      assertEquals(DataType.DT_FLOAT, type(out, "SrcT"));
      assertEquals(DataType.DT_BFLOAT16, type(out, "DstT"));
    }
  }

  @Test
  void trainingJsonRecordsThePolicy() throws IOException {
    Path models = tmp.resolve("models");
    int code =
        Main.commandLine()
            .execute(
                "train",
                "--preset",
                "mlp",
                "--precision",
                "mixed_bfloat16",
                "--epochs",
                "1",
                "--train-limit",
                "256",
                "--test-limit",
                "100",
                "--seed",
                "3",
                "--progress",
                "lines",
                "--no-checkpoints",
                "--data-dir",
                TestData.dataRoot().toString(),
                "--models-dir",
                models.toString());
    assertEquals(0, code);
    Map<String, Object> meta =
        JSON.std.mapFrom(Files.readString(models.resolve("mlp/1/assets.extra/training.json")));
    assertEquals("mixed_bfloat16", meta.get("dtype_policy"), meta.toString());
  }

  /**
   * Every weight of {@code m}'s network is a float32 variable in its training graph, and so is each
   * of its optimizer slots named {@code slots}; the graph holds no other ref variable.
   */
  private static void assertVariablesAndSlotsFloat32(Model m, String... slots) {
    Map<String, DataType> vars = new TreeMap<>();
    for (NodeDef n : ops(graphDef(m), "VariableV2")) {
      vars.put(n.getName(), type(n, "dtype"));
    }
    Set<String> expected = new TreeSet<>();
    for (Sequential.WeightVariable w : m.network().weights()) {
      expected.add(w.variableName());
      if (w.spec().trainable()) {
        for (String slot : slots) {
          expected.add(w.variableName() + "-" + slot);
        }
      }
    }
    assertTrue(vars.keySet().containsAll(expected), "missing: " + expected + " in " + vars);
    vars.forEach((name, t) -> assertEquals(DataType.DT_FLOAT, t, name + " is not float32"));
  }

  /** The training graph as built for {@code m} (built by its first fit). */
  private static GraphDef graphDef(Model m) {
    try {
      Field f = TrainingGraph.class.getDeclaredField("graph");
      f.setAccessible(true);
      return ((Graph) f.get(m.graph())).toGraphDef();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("the training graph's Graph is not reachable", e);
    }
  }

  private static List<NodeDef> ops(GraphDef g, String opType) {
    return g.getNodeList().stream().filter(n -> n.getOp().equals(opType)).toList();
  }

  private static NodeDef node(GraphDef g, String name) {
    return g.getNodeList().stream()
        .filter(n -> n.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node " + name));
  }

  private static DataType type(NodeDef n, String attr) {
    AttrValue a = n.getAttrMap().get(attr);
    assertTrue(a != null, n.getName() + " has no attribute " + attr);
    return a.getType();
  }
}
