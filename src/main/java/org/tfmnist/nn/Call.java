package org.tfmnist.nn;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * What one layer's {@link Layer#call} sees besides its inputs: the training flag, its weights by
 * the names it declared, a random seed of its own for this step (training only), and a way to
 * update a non-trained weight (a batch norm's moving statistics) as part of the training step.
 */
public final class Call {

  private final Ops tf;
  private final String layer;
  private final Context ctx;
  private final int salt;
  private final Map<String, Operand<TFloat32>> weights;
  private final Map<String, String> variableNames;
  private final List<Op> updates;

  Call(
      Ops tf,
      String layer,
      Context ctx,
      int salt,
      Map<String, Operand<TFloat32>> weights,
      Map<String, String> variableNames,
      List<Op> updates) {
    this.tf = tf;
    this.layer = layer;
    this.ctx = ctx;
    this.salt = salt;
    this.weights = weights;
    this.variableNames = variableNames;
    this.updates = updates;
  }

  /** Keras' {@code training} argument: true in the training step, false at inference. */
  public boolean training() {
    return ctx.training();
  }

  /** The current value of the weight this layer declared as {@code name}. */
  public Operand<TFloat32> weight(String name) {
    Operand<TFloat32> w = weights.get(name);
    if (w == null) {
      throw new IllegalArgumentException(layer + " declared no weight '" + name + "'");
    }
    return w;
  }

  /**
   * The weight {@code name} as the layer computes with it: cast to {@code type} when the policy
   * computes in another type than the float32 variable (Keras' auto-cast variables).
   */
  public <T extends TFloating> Operand<T> weight(String name, Class<T> type) {
    return DTypePolicy.autocast(tf, weight(name), type);
  }

  /** A stateless random seed for this layer and step (two layers never share one). */
  public Operand<TInt64> seed() {
    if (!ctx.training()) {
      throw new IllegalStateException(layer + ": random ops run in training only");
    }
    return ctx.seedFor(tf, salt);
  }

  /** In training, sets the non-trained weight {@code name} to {@code value} after the step. */
  public void update(String name, Operand<TFloat32> value) {
    if (!ctx.training()) {
      throw new IllegalStateException(layer + ": weights are updated in training only");
    }
    weight(name);
    updates.add(ctx.assigner().assign(tf, variableNames.get(name), value));
  }
}
