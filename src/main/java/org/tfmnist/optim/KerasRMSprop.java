package org.tfmnist.optim;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyCenteredRmsProp;
import org.tensorflow.op.train.ApplyRmsProp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Keras' {@code RMSprop(learning_rate, rho, momentum, epsilon, centered)} with TF's ApplyRmsProp
 * kernel: ms = rho ms + (1-rho) g^2; mom = momentum mom + lr g / sqrt(ms + eps); var -= mom (Keras
 * 3 puts epsilon inside the square root too). The mean-square accumulator starts at 0 as in Keras;
 * TF Java 1.0.0's own RMSProp starts it at 1.0 (TF1's tf.train.RMSPropOptimizer), with which the
 * first epoch of the Keras MLP tutorial's model ended at loss 0.62 instead of Keras' 0.27. The rate
 * is a graph value (a schedule or a variable a callback sets).
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class KerasRMSprop extends KerasOptimizer {

  public static final String RMS = "rms";
  public static final String MG = "mg";
  public static final String MOMENTUM = "momentum";

  private final float rho;
  private final float momentum;
  private final float epsilon;
  private final boolean centered;

  public KerasRMSprop(
      Graph graph,
      Operand<TFloat32> learningRate,
      float rho,
      float momentum,
      float epsilon,
      boolean centered) {
    super(graph, learningRate);
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  @Override
  protected void createSlots(List<Output<? extends TType>> variables) {
    for (Output<? extends TType> v : variables) {
      zeroSlot(v, RMS);
      zeroSlot(v, MOMENTUM);
      if (centered) {
        zeroSlot(v, MG);
      }
    }
  }

  @Override
  protected <T extends TType> Op applyDense(Ops deps, Output<T> gradient, Output<T> variable) {
    Class<T> type = gradient.type();
    Variable<T> rms = getSlot(variable, RMS).orElseThrow();
    Variable<T> mom = getSlot(variable, MOMENTUM).orElseThrow();
    Operand<T> lr = rate(deps, type);
    Operand<T> r = deps.dtypes.cast(deps.constant(rho), type);
    Operand<T> m = deps.dtypes.cast(deps.constant(momentum), type);
    Operand<T> e = deps.dtypes.cast(deps.constant(epsilon), type);
    if (centered) {
      Variable<T> mg = getSlot(variable, MG).orElseThrow();
      return deps.train.applyCenteredRmsProp(
          variable, mg, rms, mom, lr, r, m, e, gradient, ApplyCenteredRmsProp.useLocking(true));
    }
    return deps.train.applyRmsProp(
        variable, rms, mom, lr, r, m, e, gradient, ApplyRmsProp.useLocking(true));
  }

  @Override
  public String getOptimizerName() {
    return "RMSprop";
  }
}
