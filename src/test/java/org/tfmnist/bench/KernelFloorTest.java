package org.tfmnist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tfmnist.graph.HeavyOp;

/** Each heavy op is timed alone, named by its layer, and summed into the floor. */
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
  void eachOpIsTimedAloneAndTheFloorIsTheirSum() {
    KernelFloor.Floor f = KernelFloor.measure(OPS, 8, 10, 16, null, 3);
    assertEquals(OPS.size(), f.rows().size());
    double sum = 0;
    double forward = 0;
    for (KernelFloor.Row r : f.rows()) {
      assertTrue(r.fp32Ms() > 0 && r.fp32Ms() < 1000, r.toString());
      // bf16 is NaN only where the runtime has no kernel for it on this CPU
      assertTrue(Double.isNaN(r.bf16Ms()) || r.bf16Ms() > 0, r.toString());
      sum += r.fp32Ms();
      forward += r.op().forward() ? r.fp32Ms() : 0;
    }
    assertEquals(sum, f.stepMs(false), 1e-9);
    assertEquals(forward, f.forwardMs(), 1e-9);
    assertEquals((10 * sum + 16.0 / 8 * forward) / 1000, f.epochSeconds(), 1e-9);
    assertTrue(f.referenceGflops() > 1, "reference " + f.referenceGflops());
    String table = KernelFloor.table(f, "tiny");
    assertTrue(table.contains("conv2d           grad weights"), table);
    Map<String, Object> json = KernelFloor.json(f);
    assertEquals(f.stepMs(false), json.get("step_ms"));
    assertEquals(OPS.size(), ((List<?>) json.get("ops")).size());
  }
}
