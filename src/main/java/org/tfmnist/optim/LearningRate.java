package org.tfmnist.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras' learning-rate schedules, {@code ExponentialDecay} and {@code CosineDecay}: the rate as a
 * function of the optimizer's step, computed in the graph from the global step (so a training step
 * stays one run with no feeds) and, for logs and callbacks, in Java.
 */
public sealed interface LearningRate {

  /** The rate at {@code step} (0-based: the first update uses step 0), in the graph. */
  Operand<TFloat32> at(Ops tf, Operand<TInt64> step);

  /** The rate at {@code step}, in Java (the same formula, in double precision). */
  double at(long step);

  /** Keras' serialised form: {@code {"class_name": ..., "config": {...}}}. */
  Map<String, Object> config();

  /**
   * {@code ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase)}: lr =
   * initial * decay_rate ^ (step / decay_steps), the exponent floored when staircase.
   */
  record ExponentialDecay(
      double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
      implements LearningRate {

    /** Checks the arguments: a positive rate and decay rate, at least one decay step. */
    public ExponentialDecay {
      if (!(initialLearningRate > 0) || decaySteps < 1 || !(decayRate > 0)) {
        throw new IllegalArgumentException(
            "ExponentialDecay needs a positive rate, steps and " + "decay rate");
      }
    }

    @Override
    public Operand<TFloat32> at(Ops tf, Operand<TInt64> step) {
      Operand<TFloat32> p =
          tf.math.div(tf.dtypes.cast(step, TFloat32.class), tf.constant((float) decaySteps));
      if (staircase) {
        p = tf.math.floor(p);
      }
      return tf.math.mul(
          tf.constant((float) initialLearningRate), tf.math.pow(tf.constant((float) decayRate), p));
    }

    @Override
    public double at(long step) {
      double p = (double) step / decaySteps;
      return initialLearningRate * Math.pow(decayRate, staircase ? Math.floor(p) : p);
    }

    @Override
    public Map<String, Object> config() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("initial_learning_rate", initialLearningRate);
      c.put("decay_steps", decaySteps);
      c.put("decay_rate", decayRate);
      c.put("staircase", staircase);
      return Map.of("class_name", "ExponentialDecay", "config", c);
    }
  }

  /**
   * {@code CosineDecay(initial_learning_rate, decay_steps, alpha)}: lr = initial * ((1 - alpha) *
   * (1 + cos(pi * min(step, decay_steps) / decay_steps)) / 2 + alpha).
   */
  record CosineDecay(double initialLearningRate, long decaySteps, double alpha)
      implements LearningRate {

    /** Checks the arguments: a positive rate, at least one decay step, alpha in [0, 1]. */
    public CosineDecay {
      if (!(initialLearningRate > 0) || decaySteps < 1 || !(alpha >= 0 && alpha <= 1)) {
        throw new IllegalArgumentException(
            "CosineDecay needs a positive rate and steps, and " + "alpha in [0, 1]");
      }
    }

    @Override
    public Operand<TFloat32> at(Ops tf, Operand<TInt64> step) {
      Operand<TFloat32> done =
          tf.math.div(
              tf.math.minimum(
                  tf.dtypes.cast(step, TFloat32.class), tf.constant((float) decaySteps)),
              tf.constant((float) decaySteps));
      Operand<TFloat32> cosine =
          tf.math.mul(
              tf.constant(0.5f),
              tf.math.add(
                  tf.constant(1f), tf.math.cos(tf.math.mul(tf.constant((float) Math.PI), done))));
      Operand<TFloat32> decayed =
          tf.math.add(
              tf.math.mul(tf.constant((float) (1 - alpha)), cosine), tf.constant((float) alpha));
      return tf.math.mul(tf.constant((float) initialLearningRate), decayed);
    }

    @Override
    public double at(long step) {
      double done = Math.min(step, decaySteps) / (double) decaySteps;
      return initialLearningRate * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * done)) + alpha);
    }

    @Override
    public Map<String, Object> config() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("initial_learning_rate", initialLearningRate);
      c.put("decay_steps", decaySteps);
      c.put("alpha", alpha);
      return Map.of("class_name", "CosineDecay", "config", c);
    }
  }

  /** Reads what {@link #config()} wrote. */
  static LearningRate fromConfig(Map<?, ?> m) {
    Map<?, ?> c = (Map<?, ?>) m.get("config");
    if (c == null) {
      throw new IllegalArgumentException("a learning-rate schedule without its config: " + m);
    }
    return switch (String.valueOf(m.get("class_name"))) {
      case "ExponentialDecay" ->
          new ExponentialDecay(
              num(c, "initial_learning_rate"),
              (long) num(c, "decay_steps"),
              num(c, "decay_rate"),
              Boolean.TRUE.equals(c.get("staircase")));
      case "CosineDecay" ->
          new CosineDecay(
              num(c, "initial_learning_rate"), (long) num(c, "decay_steps"), num(c, "alpha"));
      default ->
          throw new IllegalArgumentException(
              "unknown learning-rate schedule " + m.get("class_name"));
    };
  }

  private static double num(Map<?, ?> c, String key) {
    if (!(c.get(key) instanceof Number n)) {
      throw new IllegalArgumentException("a learning-rate schedule without " + key);
    }
    return n.doubleValue();
  }
}
