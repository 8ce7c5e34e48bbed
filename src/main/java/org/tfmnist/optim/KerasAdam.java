package org.tfmnist.optim;

import java.util.List;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Adam on the framework's {@code Optimizer} base, with the update of Keras 3 and TF's fused
 * ApplyAdam kernel: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr sqrt(1-b2^t)/(1-b1^t) m /
 * (sqrt(v) + eps). The rate is a graph value (a schedule or a variable a callback sets).
 *
 * <p>Why not the framework's {@code Adam}: in TF Java 1.0.0 it multiplies beta1_power and
 * beta2_power in ops that run in parallel with the ApplyAdam ops of the same step (no control
 * dependency between them), so a step sometimes reads the next step's powers and uses t+1's bias
 * correction: measured here, the first step moved a weight by 0.00074 or 0.00100 from one run to
 * the next (Keras: always lr = 0.001). Here the powers advance only after every variable has been
 * updated, so training is exact and reproducible.
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class KerasAdam extends KerasOptimizer {

  public static final String FIRST_MOMENT = "m";
  public static final String SECOND_MOMENT = "v";

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private Variable<TFloat32> beta1Power;
  private Variable<TFloat32> beta2Power;

  public KerasAdam(
      Graph graph, Operand<TFloat32> learningRate, float beta1, float beta2, float epsilon) {
    super(graph, learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  protected void createSlots(List<Output<? extends TType>> variables) {
    for (Output<? extends TType> v : variables) {
      zeroSlot(v, FIRST_MOMENT);
      zeroSlot(v, SECOND_MOMENT);
    }
    Ops init = tf.withInitScope();
    beta1Power = init.withName("beta1_power").variable(Shape.scalar(), TFloat32.class);
    init.assign(beta1Power, init.constant(beta1));
    beta2Power = init.withName("beta2_power").variable(Shape.scalar(), TFloat32.class);
    init.assign(beta2Power, init.constant(beta2));
  }

  @Override
  protected Optional<Op> prepare(String scopeName) {
    return Optional.empty();
  }

  @Override
  protected <T extends TType> Op applyDense(Ops deps, Output<T> gradient, Output<T> variable) {
    Variable<T> m = getSlot(variable, FIRST_MOMENT).orElseThrow();
    Variable<T> v = getSlot(variable, SECOND_MOMENT).orElseThrow();
    Class<T> type = gradient.type();
    return deps.train.applyAdam(
        variable,
        m,
        v,
        deps.dtypes.cast(beta1Power, type),
        deps.dtypes.cast(beta2Power, type),
        rate(deps, type),
        deps.dtypes.cast(deps.constant(beta1), type),
        deps.dtypes.cast(deps.constant(beta2), type),
        deps.dtypes.cast(deps.constant(epsilon), type),
        gradient,
        ApplyAdam.useLocking(true));
  }

  /** The powers advance after every ApplyAdam of the step has read them. */
  @Override
  protected Op finish(List<Op> updateOperations, String name) {
    Ops after = tf.withControlDependencies(updateOperations);
    Op p1 = after.assign(beta1Power, after.math.mul(beta1Power, after.constant(beta1)));
    Op p2 = after.assign(beta2Power, after.math.mul(beta2Power, after.constant(beta2)));
    return super.finish(List.of(p1, p2), name);
  }

  @Override
  public String getOptimizerName() {
    return "Adam";
  }
}
