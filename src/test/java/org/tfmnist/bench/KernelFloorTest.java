package org.tfmnist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tfmnist.TestData;
import org.tfmnist.graph.HeavyOp;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.train.Recipe;

/**
 * The heavy ops a training step is made of are found with their shapes and multiply-adds, named by
 * their layer and role, and each one's time goes into the floor, which is their sum. Nothing here
 * depends on how fast the machine is.
 */
@Timeout(120)
class KernelFloorTest {

  static final long[] X = {8, 10, 10, 4};
  static final long[] F = {3, 3, 4, 8};
  static final long[] Y = {8, 8, 8, 8};
  static final long[] NONE = {};

  static final List<HeavyOp> OPS =
      List.of(
          new HeavyOp(
              "Conv2D",
              "train/conv2d/Conv2d",
              X,
              F,
              Y,
              new long[] {1, 1, 1, 1},
              "VALID",
              false,
              false,
              false),
          new HeavyOp(
              "Conv2DBackpropFilter",
              "gradients/Conv2DBackpropFilter",
              X,
              F,
              Y,
              new long[] {1, 1, 1, 1},
              "VALID",
              false,
              false,
              false),
          new HeavyOp(
              "MatMul",
              "train/dense/MatMul",
              new long[] {8, 512},
              new long[] {512, 10},
              new long[] {8, 10},
              NONE,
              "",
              false,
              false,
              false),
          new HeavyOp(
              "MatMul",
              "gradients/MatMul_1",
              new long[] {8, 512},
              new long[] {8, 10},
              new long[] {512, 10},
              NONE,
              "",
              true,
              false,
              false),
          new HeavyOp(
              "MatMul",
              "gradients/MatMul",
              new long[] {8, 10},
              new long[] {512, 10},
              new long[] {8, 512},
              NONE,
              "",
              false,
              true,
              false));

  @Test
  void gradientsAreNamedByTheirLayerAndRole() {
    assertEquals("conv2d", KernelFloor.layerOf(OPS.get(1), OPS));
    assertEquals("grad weights", KernelFloor.role(OPS.get(1)));
    assertEquals("dense", KernelFloor.layerOf(OPS.get(3), OPS));
    assertEquals("grad weights", KernelFloor.role(OPS.get(3)));
    assertEquals("dense", KernelFloor.layerOf(OPS.get(4), OPS));
    assertEquals("grad input", KernelFloor.role(OPS.get(4)));
    // the three products do the same multiply-adds
    assertEquals(OPS.get(2).flops(), OPS.get(3).flops());
    assertEquals(OPS.get(2).flops(), OPS.get(4).flops());
  }

  @Test
  void eachOpCountsItsMultiplyAddsByHand() {
    // conv: 8x8x8x8 output pixels x 3x3 kernel x 4 input channels, 2 FLOP each
    double conv = 2.0 * 8 * 8 * 8 * 8 * 3 * 3 * 4; // 294,912
    // products: 8x512 times 512x10, and both gradients do the same multiply-adds
    double dense = 2.0 * 8 * 512 * 10; // 81,920
    double[] expected = {conv, conv, dense, dense, dense};
    for (int i = 0; i < OPS.size(); i++) {
      assertEquals(expected[i], OPS.get(i).flops(), OPS.get(i).name());
    }
    assertEquals("8x10x10x4 * 3x3x4x8 -> 8x8x8x8", OPS.get(0).shapes());
    assertEquals("8x512 * 8x10 -> 512x10", OPS.get(3).shapes());
  }

  @Test
  void theOpsFoundInTheMlpsStepAreItsProductsAndTheirGradients() {
    Preset p = Presets.mlp();
    Recipe r = p.recipe();
    List<HeavyOp> ops;
    try (TrainingGraph g =
        new TrainingGraph(
            new TrainingGraph.Spec(
                p.model(),
                r.loss(),
                r.optimizer(),
                128,
                1,
                TrainingGraph.DEFAULT_EVAL_CHUNK,
                r.dtypePolicy()),
            TestData.train().first(256),
            Map.of(),
            null)) {
      ops = g.heavyOps();
    }
    // Dense(512) on 784 inputs, then Dense(10), in graph order; the first layer's input gradient
    // (towards the images) is never needed
    List<String> found = new ArrayList<>();
    for (HeavyOp op : ops) {
      assertFalse(op.bf16(), op.name());
      found.add(
          KernelFloor.layerOf(op, ops)
              + " "
              + KernelFloor.role(op)
              + " "
              + op.shapes()
              + " "
              + (long) op.flops());
    }
    // 2 x 128 x 784 x 512 = 102,760,448 and 2 x 128 x 512 x 10 = 1,310,720
    assertEquals(
        List.of(
            "dense forward 128x784 * 784x512 -> 128x512 102760448",
            "dense_1 forward 128x512 * 512x10 -> 128x10 1310720",
            "dense_1 grad input 128x10 * 512x10 -> 128x512 1310720",
            "dense_1 grad weights 128x512 * 128x10 -> 512x10 1310720",
            "dense grad weights 128x784 * 128x512 -> 784x512 102760448"),
        found);
  }

  @Test
  void theFloorIsTheSumOfItsOps() {
    // one timed run per op: what is asserted is what the floor finds and adds up, not the speed
    KernelFloor.Floor f = KernelFloor.measure(OPS, 8, 10, 16, null, 1);
    assertEquals(OPS, f.rows().stream().map(KernelFloor.Row::op).toList(), "every op, in order");
    assertEquals(
        List.of("conv2d", "conv2d", "dense", "dense", "dense"),
        f.rows().stream().map(KernelFloor.Row::layer).toList());
    double sum = 0;
    double forward = 0;
    for (KernelFloor.Row r : f.rows()) {
      assertTrue(Double.isFinite(r.fp32Ms()), "every op is timed in fp32: " + r);
      sum += r.fp32Ms();
      forward += r.op().forward() ? r.fp32Ms() : 0;
    }
    assertEquals(sum, f.stepMs(false), 1e-9);
    assertEquals(forward, f.forwardMs(), 1e-9);
    assertEquals(f.rows().get(0).fp32Ms() + f.rows().get(2).fp32Ms(), forward, 1e-9);
    assertEquals((10 * sum + 16.0 / 8 * forward) / 1000, f.epochSeconds(), 1e-9);
    assertFalse(f.bf16(), "a float32 step's floor is fp32's");
    String table = KernelFloor.table(f, "tiny");
    assertTrue(table.contains("conv2d           grad weights"), table);
    // 2 x 294,912 + 3 x 81,920 = 835,584 FLOP
    assertTrue(table.contains("sum: 0.001 GFLOP"), table);
    Map<String, Object> json = KernelFloor.json(f);
    assertEquals(f.stepMs(false), json.get("step_ms"));
    assertEquals(f.epochSeconds(), json.get("epoch_seconds"));
    assertEquals("fp32", json.get("precision"));
    List<?> rows = (List<?>) json.get("ops");
    assertEquals(OPS.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<?, ?> row = (Map<?, ?>) rows.get(i);
      assertEquals(OPS.get(i).flops() / 1e9, row.get("gflop"));
      assertEquals(f.rows().get(i).fp32Ms(), row.get("fp32_ms"));
      assertEquals(OPS.get(i).shapes(), row.get("shapes"));
    }
  }
}
