package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.eval.Evaluation;
import org.tfmnist.export.ServingModel;
import org.tfmnist.graph.HeavyOp;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;

/**
 * Keras' mixed_bfloat16 policy: the step's convolutions and products compute in bfloat16 while the
 * weights stay float32; it learns as float32 does; the exported SavedModel is float32 throughout;
 * checkpoints record the policy.
 */
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
        for (TFloat32 w : m.weights().values()) {
          assertEquals(DataType.DT_FLOAT, w.dataType(), "variables stay float32");
          w.close();
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
    Checkpoints.State s = new Checkpoints.State("cnn", "mnist", 1, r, 3, 0, 0, 469, new History());
    String json = Checkpoints.toJson(s);
    assertTrue(json.contains("\"dtype_policy\" : \"mixed_bfloat16\""), json);
    assertEquals(r, Checkpoints.fromJson(json).recipe());
    String older = json.replace("\"dtype_policy\" : \"mixed_bfloat16\",", "");
    assertEquals(DTypePolicy.FLOAT32, Checkpoints.fromJson(older).recipe().dtypePolicy());
  }
}
