package org.tfmnist.optim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.types.TFloat32;

/**
 * An optimizer and its hyper-parameters, with Keras' defaults, and the factory that builds it on
 * TF's fused kernels ({@link KerasSGD}, {@link KerasRMSprop}, {@link KerasAdam}, {@link
 * KerasAdadelta}). The learning rate is a constant or one of Keras' schedules ({@link
 * LearningRate}); either way the optimizer reads it from the graph, so a schedule needs no feed and
 * a callback can change a constant rate between epochs.
 *
 * <p>Keras' defaults where TF Java's framework differs: RMSprop's epsilon (1e-10 in the framework,
 * 1e-7 in Keras) and starting accumulator; Adam's epsilon (1e-8 vs 1e-7), with the step order
 * fixed; Adadelta's lr is Keras 3's 0.001 (the Keras CNN example passes Keras 2's 1.0).
 */
public record OptimizerSpec(
    Kind kind,
    double learningRate,
    double rho,
    double momentum,
    boolean nesterov,
    double beta1,
    double beta2,
    double epsilon,
    LearningRate schedule) {

  /**
   * The learning rates a run takes are more than 0 and less than this: the graph holds the rate as
   * a float32, and a million is far above any rate that trains (the presets' largest is Nielsen's
   * 3.0), so a larger one is a typing slip rather than an experiment.
   */
  public static final double MAX_LEARNING_RATE = 1e6;

  /** The optimizers of the seeds. */
  public enum Kind {
    /** Keras' {@code SGD}. */
    SGD,
    /** Keras' {@code RMSprop}. */
    RMSPROP,
    /** Keras' {@code Adam}. */
    ADAM,
    /** Keras' {@code Adadelta}. */
    ADADELTA;

    /**
     * The kind named {@code s} in any case ("adam", "RMSprop"); throws {@code
     * IllegalArgumentException} for an unknown name.
     */
    public static Kind parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    /** Keras' class name: "SGD", "RMSprop", "Adam", "Adadelta". */
    public String kerasName() {
      return switch (this) {
        case SGD -> "SGD";
        case RMSPROP -> "RMSprop";
        case ADAM -> "Adam";
        case ADADELTA -> "Adadelta";
      };
    }
  }

  /** Keras 3's {@code SGD()}: lr 0.01, momentum 0, no Nesterov. */
  public static OptimizerSpec sgd() {
    return new OptimizerSpec(Kind.SGD, 0.01, 0, 0, false, 0, 0, 0, null);
  }

  /** Keras' {@code RMSprop()}: lr 0.001, rho 0.9, momentum 0, epsilon 1e-7. */
  public static OptimizerSpec rmsprop() {
    return new OptimizerSpec(Kind.RMSPROP, 0.001, 0.9, 0, false, 0, 0, 1e-7, null);
  }

  /** Keras' {@code Adam()}: lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
  public static OptimizerSpec adam() {
    return new OptimizerSpec(Kind.ADAM, 0.001, 0, 0, false, 0.9, 0.999, 1e-7, null);
  }

  /** Keras 3's {@code Adadelta()}: lr 0.001, rho 0.95, epsilon 1e-7. */
  public static OptimizerSpec adadelta() {
    return new OptimizerSpec(Kind.ADADELTA, 0.001, 0.95, 0, false, 0, 0, 1e-7, null);
  }

  /** Keras' defaults for {@code kind}. */
  public static OptimizerSpec defaults(Kind kind) {
    return switch (kind) {
      case SGD -> sgd();
      case RMSPROP -> rmsprop();
      case ADAM -> adam();
      case ADADELTA -> adadelta();
    };
  }

  /** A constant learning rate (replacing any schedule). */
  public OptimizerSpec withLearningRate(double lr) {
    return new OptimizerSpec(kind, lr, rho, momentum, nesterov, beta1, beta2, epsilon, null);
  }

  /** Keras' {@code learning_rate=schedule}; {@link #learningRate()} is then its initial rate. */
  public OptimizerSpec withSchedule(LearningRate s) {
    return new OptimizerSpec(kind, s.at(0), rho, momentum, nesterov, beta1, beta2, epsilon, s);
  }

  /** The rate at {@code step}: the schedule's, or the constant. */
  public double learningRateAt(long step) {
    return schedule == null ? learningRate : schedule.at(step);
  }

  /** This optimizer with RMSprop's or Adadelta's {@code rho} (0.9 and 0.95 by default). */
  public OptimizerSpec withRho(double r) {
    return new OptimizerSpec(
        kind, learningRate, r, momentum, nesterov, beta1, beta2, epsilon, schedule);
  }

  /** This optimizer with SGD's or RMSprop's {@code momentum} (0 by default). */
  public OptimizerSpec withMomentum(double m) {
    return new OptimizerSpec(kind, learningRate, rho, m, nesterov, beta1, beta2, epsilon, schedule);
  }

  /** This optimizer with SGD's {@code nesterov} (false by default). */
  public OptimizerSpec withNesterov(boolean n) {
    return new OptimizerSpec(kind, learningRate, rho, momentum, n, beta1, beta2, epsilon, schedule);
  }

  /** This optimizer with Adam's {@code beta_1} and {@code beta_2} (0.9 and 0.999 by default). */
  public OptimizerSpec withBetas(double b1, double b2) {
    return new OptimizerSpec(
        kind, learningRate, rho, momentum, nesterov, b1, b2, epsilon, schedule);
  }

  /** This optimizer with {@code epsilon} (Keras' 1e-7 for RMSprop, Adam and Adadelta). */
  public OptimizerSpec withEpsilon(double e) {
    return new OptimizerSpec(
        kind, learningRate, rho, momentum, nesterov, beta1, beta2, e, schedule);
  }

  /** The optimizer for {@code graph}, reading its rate from {@code learningRate}. */
  public Optimizer create(Graph graph, Operand<TFloat32> learningRate) {
    return switch (kind) {
      case SGD -> new KerasSGD(graph, learningRate, (float) momentum, nesterov);
      case RMSPROP ->
          new KerasRMSprop(
              graph, learningRate, (float) rho, (float) momentum, (float) epsilon, false);
      case ADAM ->
          new KerasAdam(graph, learningRate, (float) beta1, (float) beta2, (float) epsilon);
      case ADADELTA -> new KerasAdadelta(graph, learningRate, (float) rho, (float) epsilon);
    };
  }

  /** The hyper-parameters that matter for this kind, by their Keras names. */
  public Map<String, Object> config() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", kind.kerasName());
    m.put("learning_rate", schedule == null ? learningRate : schedule.config());
    switch (kind) {
      case SGD -> {
        m.put("momentum", momentum);
        m.put("nesterov", nesterov);
      }
      case RMSPROP -> {
        m.put("rho", rho);
        m.put("momentum", momentum);
        m.put("epsilon", epsilon);
      }
      case ADAM -> {
        m.put("beta_1", beta1);
        m.put("beta_2", beta2);
        m.put("epsilon", epsilon);
      }
      case ADADELTA -> {
        m.put("rho", rho);
        m.put("epsilon", epsilon);
      }
    }
    return m;
  }

  /** 0.001 stays 0.001, 1e-7 prints as 1e-07 (as Keras' configs show them). */
  static String number(double d) {
    if (d != 0 && Math.abs(d) < 1e-3) {
      return String.format(Locale.ROOT, "%.0e", d);
    }
    String s = Double.toString(d);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  /** Reads what {@link #config()} wrote (missing keys take Keras' defaults for the kind). */
  public static OptimizerSpec fromConfig(Map<String, ?> m) {
    Kind kind =
        switch (String.valueOf(m.get("name")).toLowerCase(Locale.ROOT)) {
          case "sgd" -> Kind.SGD;
          case "rmsprop" -> Kind.RMSPROP;
          case "adam" -> Kind.ADAM;
          case "adadelta" -> Kind.ADADELTA;
          default -> throw new IllegalArgumentException("unknown optimizer " + m.get("name"));
        };
    OptimizerSpec d = defaults(kind);
    LearningRate schedule =
        m.get("learning_rate") instanceof Map<?, ?> lr ? LearningRate.fromConfig(lr) : null;
    return new OptimizerSpec(
        kind,
        schedule != null ? schedule.at(0) : num(m, "learning_rate", d.learningRate),
        num(m, "rho", d.rho),
        num(m, "momentum", d.momentum),
        m.containsKey("nesterov") ? Boolean.TRUE.equals(m.get("nesterov")) : d.nesterov,
        num(m, "beta_1", d.beta1),
        num(m, "beta_2", d.beta2),
        num(m, "epsilon", d.epsilon),
        schedule);
  }

  private static double num(Map<String, ?> m, String key, double dflt) {
    Object v = m.get(key);
    return v instanceof Number n ? n.doubleValue() : dflt;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(kind.kerasName()).append('(');
    boolean first = true;
    for (Map.Entry<String, Object> e : config().entrySet()) {
      if (e.getKey().equals("name")) {
        continue;
      }
      Object v = e.getValue();
      String text =
          v instanceof Double d
              ? number(d)
              : v instanceof Map<?, ?> sched
                  ? sched.get("class_name") + "(" + sched.get("config") + ")"
                  : String.valueOf(v);
      sb.append(first ? "" : ", ").append(e.getKey()).append('=').append(text);
      first = false;
    }
    return sb.append(')').toString();
  }
}
