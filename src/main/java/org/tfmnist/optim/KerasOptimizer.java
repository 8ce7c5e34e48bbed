package org.tfmnist.optim;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * What our optimizers share on the framework's {@link Optimizer} base: the learning rate read from
 * the graph (a schedule of the global step, or a variable a callback sets) and slots that start at
 * zero, as Keras' do.
 */
abstract class KerasOptimizer extends Optimizer {

  private final Operand<TFloat32> learningRate;

  KerasOptimizer(Graph graph, Operand<TFloat32> learningRate) {
    super(graph);
    this.learningRate = learningRate;
  }

  /** The learning rate as the variable's type, for an update op under {@code deps}. */
  <T extends TType> Operand<T> rate(Ops deps, Class<T> type) {
    return deps.dtypes.cast(learningRate, type);
  }

  /** A slot of {@code v}'s shape, starting at zero. */
  <T extends TType> void zeroSlot(Output<T> v, String slot) {
    createSlot(v, slot, tf.zeros(tf.constant(v.shape().asArray()), v.type()));
  }
}
