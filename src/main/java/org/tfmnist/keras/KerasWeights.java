package org.tfmnist.keras;

import java.util.Map;
import org.tensorflow.types.TFloat32;
import org.tfmnist.graph.OptimizerState;

/**
 * Weights read from a Keras file, by our variable name ("dense_1_kernel"), and the optimizer's
 * state when the file has it (else null). Closing closes every tensor.
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 *
 * @hidden
 */
public record KerasWeights(Map<String, TFloat32> weights, OptimizerState optimizer)
    implements AutoCloseable {

  @Override
  public void close() {
    weights.values().forEach(TFloat32::close);
    if (optimizer != null) {
      optimizer.close();
    }
  }
}
