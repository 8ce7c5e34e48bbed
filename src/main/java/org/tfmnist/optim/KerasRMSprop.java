package org.tfmnist.optim;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.RMSProp;
import org.tensorflow.types.family.TType;

/**
 * The framework's RMSProp with Keras' starting state. TF Java 1.0.0 starts the mean-square
 * accumulator at 1.0 (TF1's tf.train.RMSPropOptimizer); Keras starts it at 0.0. The update rule
 * itself is Keras': ms = rho ms + (1-rho) g^2; var -= lr g / sqrt(ms + eps) (Keras 3 puts epsilon
 * inside the square root too). With the stock slot the first epoch of the Keras MLP tutorial's model ended at loss
 * 0.62 instead of Keras' 0.27.
 */
public final class KerasRMSprop extends RMSProp {

  private final boolean centered;

  public KerasRMSprop(
      Graph graph, float learningRate, float rho, float momentum, float epsilon,
      boolean centered) {
    super(graph, learningRate, rho, momentum, epsilon, centered);
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

  private <T extends TType> void zeroSlot(Output<T> v, String slot) {
    Operand<T> zeros = tf.zeros(tf.constant(v.shape().asArray()), v.type());
    createSlot(v, slot, zeros);
  }
}
