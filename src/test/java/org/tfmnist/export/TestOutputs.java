package org.tfmnist.export;

import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * {@link Outputs} made from plain arrays, for tests of the code that cuts and joins them (the
 * batcher, the response writer) without loading TensorFlow.
 */
public final class TestOutputs {

  private TestOutputs() {}

  /**
   * One float output {@code key} of {@code rows} rows, each row {@code width} floats: row r holds
   * {@code tag(r), tag(r) + 0.001, ...}, so a row that lands in the wrong request is seen.
   */
  public static Outputs rows(String key, float[] firstValues, int width) {
    int rows = firstValues.length;
    float[] data = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < width; k++) {
        data[r * width + k] = firstValues[r] + k * 0.001f;
      }
    }
    return new Outputs(
        List.of(new Outputs.Spec(key, key + ":0", DataType.DT_FLOAT, new long[] {-1, width})),
        rows,
        new Object[] {data},
        new long[][] {{width}});
  }
}
