package org.tfmnist.optim;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdadelta;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Keras' {@code Adadelta(learning_rate, rho, epsilon)} with TF's ApplyAdadelta kernel: accum = rho
 * accum + (1-rho) g^2; update = sqrt(accum_update + eps) / sqrt(accum + eps) g; accum_update = rho
 * accum_update + (1-rho) update^2; var -= lr update. The rate is a graph value.
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class KerasAdadelta extends KerasOptimizer {

  public static final String ACCUMULATOR = "accum";
  public static final String ACCUMULATOR_UPDATE = "accum_update";

  private final float rho;
  private final float epsilon;

  public KerasAdadelta(Graph graph, Operand<TFloat32> learningRate, float rho, float epsilon) {
    super(graph, learningRate);
    this.rho = rho;
    this.epsilon = epsilon;
  }

  @Override
  protected void createSlots(List<Output<? extends TType>> variables) {
    for (Output<? extends TType> v : variables) {
      zeroSlot(v, ACCUMULATOR);
      zeroSlot(v, ACCUMULATOR_UPDATE);
    }
  }

  @Override
  protected <T extends TType> Op applyDense(Ops deps, Output<T> gradient, Output<T> variable) {
    Class<T> type = gradient.type();
    Variable<T> accum = getSlot(variable, ACCUMULATOR).orElseThrow();
    Variable<T> accumUpdate = getSlot(variable, ACCUMULATOR_UPDATE).orElseThrow();
    return deps.train.applyAdadelta(
        variable,
        accum,
        accumUpdate,
        rate(deps, type),
        deps.dtypes.cast(deps.constant(rho), type),
        deps.dtypes.cast(deps.constant(epsilon), type),
        gradient,
        ApplyAdadelta.useLocking(true));
  }

  @Override
  public String getOptimizerName() {
    return "Adadelta";
  }
}
