package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** The snapshot keeps the model's order, lends its tensors read-only and closes them once. */
@Timeout(10)
class WeightSnapshotTest {

  @Test
  void aSnapshotOwnsItsTensorsInOrderAndIsClosedOnce() {
    Map<String, TFloat32> tensors = new LinkedHashMap<>();
    TFloat32 kernel = TFloat32.tensorOf(Shape.of(2, 3));
    TFloat32 bias = TFloat32.tensorOf(Shape.of(3));
    tensors.put("dense_kernel", kernel);
    tensors.put("dense_bias", bias);
    WeightSnapshot w = WeightSnapshot.of(tensors);
    tensors.clear(); // the snapshot holds its own map
    assertEquals(List.of("dense_kernel", "dense_bias"), List.copyOf(w.names()));
    assertEquals(2, w.size());
    assertSame(kernel, w.get("dense_kernel"));
    assertSame(bias, w.asMap().get("dense_bias"));
    assertTrue(w.contains("dense_bias"));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> w.get("conv2d_kernel"));
    assertTrue(unknown.getMessage().contains("conv2d_kernel"), unknown.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> w.asMap().remove("dense_bias"));

    w.close();
    w.close(); // a second close does nothing
    assertThrows(IllegalStateException.class, w::asMap);
    assertThrows(IllegalStateException.class, () -> w.get("dense_kernel"));
  }
}
