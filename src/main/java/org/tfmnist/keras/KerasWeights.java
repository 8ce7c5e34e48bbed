package org.tfmnist.keras;

import org.tfmnist.graph.OptimizerState;
import org.tfmnist.nn.WeightSnapshot;

/**
 * Weights read from a Keras file, by our variable name ("dense_1_kernel"), and the optimizer's
 * state when the file has it (else null). Closing closes every tensor.
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 *
 * @hidden
 */
public record KerasWeights(WeightSnapshot weights, OptimizerState optimizer)
    implements AutoCloseable {

  @Override
  public void close() {
    weights.close();
    if (optimizer != null) {
      optimizer.close();
    }
  }
}
