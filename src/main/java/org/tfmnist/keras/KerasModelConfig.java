package org.tfmnist.keras;

import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;

/**
 * A model as a Keras file describes it: the network (with the file's layer names), and its {@code
 * compile()} arguments when it was compiled (null otherwise).
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 *
 * @hidden
 */
public record KerasModelConfig(Sequential network, Compiled compiled) {

  /**
   * {@code model.compile(optimizer=..., loss=..., metrics=["accuracy"])}.
   *
   * @hidden
   */
  public record Compiled(OptimizerSpec optimizer, Loss loss) {}
}
