package org.tfmnist.optim;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyGradientDescent;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Keras' {@code SGD(learning_rate, momentum, nesterov)} with TF's kernels: ApplyGradientDescent
 * (var -= lr g) without momentum; with momentum ApplyMomentum (accum = m accum + g; var -= lr
 * accum), which for a constant rate is exactly Keras' velocity form (v = m v - lr g; var += v),
 * Nesterov included. The rate is a graph value (a schedule or a variable a callback sets).
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class KerasSGD extends KerasOptimizer {

  public static final String MOMENTUM = "momentum";

  private final float momentum;
  private final boolean nesterov;

  public KerasSGD(Graph graph, Operand<TFloat32> learningRate, float momentum, boolean nesterov) {
    super(graph, learningRate);
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  @Override
  protected void createSlots(List<Output<? extends TType>> variables) {
    if (momentum != 0 || nesterov) {
      for (Output<? extends TType> v : variables) {
        zeroSlot(v, MOMENTUM);
      }
    }
  }

  @Override
  protected <T extends TType> Op applyDense(Ops deps, Output<T> gradient, Output<T> variable) {
    Class<T> type = gradient.type();
    Operand<T> lr = rate(deps, type);
    if (momentum == 0 && !nesterov) {
      return deps.train.applyGradientDescent(
          variable, lr, gradient, ApplyGradientDescent.useLocking(true));
    }
    Variable<T> accum = getSlot(variable, MOMENTUM).orElseThrow();
    return deps.train.applyMomentum(
        variable,
        accum,
        lr,
        gradient,
        deps.dtypes.cast(deps.constant(momentum), type),
        ApplyMomentum.useNesterov(nesterov),
        ApplyMomentum.useLocking(true));
  }

  @Override
  public String getOptimizerName() {
    return "SGD";
  }
}
