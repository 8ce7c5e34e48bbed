package org.tfmnist.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tfmnist.TestData;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;

/** The heavy ops found in a training graph are the step's convolutions and products. */
class HeavyOpTest {

  @Test
  void theCnnStepHasItsTwoConvolutionsThreeConvGradientsAndSixProducts() {
    Preset p = Presets.cnn();
    try (TrainingGraph g = TrainingGraphTest.graph(p.model(), p.recipe(), 1, TestData.train())) {
      List<HeavyOp> ops = g.heavyOps();
      Map<String, Integer> count = new TreeMap<>();
      ops.forEach(o -> count.merge(o.type(), 1, Integer::sum));
      // conv1's input needs no gradient (it is the image): one Conv2DBackpropInput, not two
      assertEquals(
          Map.of("Conv2D", 2, "Conv2DBackpropFilter", 2, "Conv2DBackpropInput", 1, "MatMul", 6),
          count);
      HeavyOp conv2 =
          ops.stream()
              .filter(o -> o.type().equals("Conv2D") && o.filter()[2] == 32)
              .findFirst()
              .orElseThrow();
      assertArrayEquals(new long[] {128, 26, 26, 32}, conv2.x());
      assertArrayEquals(new long[] {3, 3, 32, 64}, conv2.filter());
      assertArrayEquals(new long[] {128, 24, 24, 64}, conv2.y());
      assertEquals("VALID", conv2.padding());
      // 128 x 24 x 24 x 64 outputs, each 3 x 3 x 32 multiply-adds
      assertEquals(2.0 * 128 * 24 * 24 * 64 * 9 * 32, conv2.flops());
      for (HeavyOp o : ops) {
        if (o.type().startsWith("Conv2DBackprop") && o.filter()[2] == 32) {
          assertEquals(conv2.flops(), o.flops(), o.name());
          assertArrayEquals(conv2.x(), o.x(), o.name());
          assertArrayEquals(conv2.y(), o.y(), o.name());
        }
      }
      // Dense(128) on 9216 inputs, forward and both gradients: the same multiply-adds
      List<HeavyOp> dense =
          ops.stream()
              .filter(o -> o.type().equals("MatMul") && o.flops() == 2.0 * 128 * 9216 * 128)
              .toList();
      assertEquals(3, dense.size(), dense.toString());
      assertEquals(1, dense.stream().filter(HeavyOp::forward).count());
    }
  }
}
