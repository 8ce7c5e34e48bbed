package org.tfmnist.optim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.framework.optimizers.AdaDelta;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.framework.optimizers.Optimizer;

/**
 * An optimizer and its hyper-parameters, with Keras' defaults, and the factory that builds the
 * matching TF Java framework optimizer.
 *
 * <p>Where the framework's defaults differ from Keras' they are set to Keras' here: RMSprop's
 * epsilon (1e-10 in the framework, 1e-7 in Keras) and starting accumulator ({@link KerasRMSprop});
 * Adam's epsilon (1e-8 vs 1e-7), with the step order fixed ({@link KerasAdam}); Adadelta matches Keras 3 (lr 0.001), and the seed CNN passes Keras
 * 2's lr 1.0 explicitly. SGD with momentum uses TF's ApplyMomentum (accum = m accum + g;
 * var -= lr accum), which for a constant learning rate is exactly Keras' velocity form
 * (v = m v - lr g; var += v), Nesterov included.
 */
public record OptimizerSpec(
    Kind kind,
    double learningRate,
    double rho,
    double momentum,
    boolean nesterov,
    double beta1,
    double beta2,
    double epsilon) {

  /** The optimizers of the seeds. */
  public enum Kind {
    SGD,
    RMSPROP,
    ADAM,
    ADADELTA;

    public static Kind parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

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
    return new OptimizerSpec(Kind.SGD, 0.01, 0, 0, false, 0, 0, 0);
  }

  /** Keras' {@code RMSprop()}: lr 0.001, rho 0.9, momentum 0, epsilon 1e-7. */
  public static OptimizerSpec rmsprop() {
    return new OptimizerSpec(Kind.RMSPROP, 0.001, 0.9, 0, false, 0, 0, 1e-7);
  }

  /** Keras' {@code Adam()}: lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
  public static OptimizerSpec adam() {
    return new OptimizerSpec(Kind.ADAM, 0.001, 0, 0, false, 0.9, 0.999, 1e-7);
  }

  /** Keras 3's {@code Adadelta()}: lr 0.001, rho 0.95, epsilon 1e-7. */
  public static OptimizerSpec adadelta() {
    return new OptimizerSpec(Kind.ADADELTA, 0.001, 0.95, 0, false, 0, 0, 1e-7);
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

  public OptimizerSpec withLearningRate(double lr) {
    return new OptimizerSpec(kind, lr, rho, momentum, nesterov, beta1, beta2, epsilon);
  }

  public OptimizerSpec withRho(double r) {
    return new OptimizerSpec(kind, learningRate, r, momentum, nesterov, beta1, beta2, epsilon);
  }

  public OptimizerSpec withMomentum(double m) {
    return new OptimizerSpec(kind, learningRate, rho, m, nesterov, beta1, beta2, epsilon);
  }

  public OptimizerSpec withNesterov(boolean n) {
    return new OptimizerSpec(kind, learningRate, rho, momentum, n, beta1, beta2, epsilon);
  }

  public OptimizerSpec withBetas(double b1, double b2) {
    return new OptimizerSpec(kind, learningRate, rho, momentum, nesterov, b1, b2, epsilon);
  }

  public OptimizerSpec withEpsilon(double e) {
    return new OptimizerSpec(kind, learningRate, rho, momentum, nesterov, beta1, beta2, e);
  }

  /** The framework optimizer for {@code graph}, configured as Keras would be. */
  public Optimizer create(Graph graph) {
    float lr = (float) learningRate;
    return switch (kind) {
      case SGD -> momentum == 0 && !nesterov
          ? new GradientDescent(graph, lr)
          : new Momentum(graph, lr, (float) momentum, nesterov);
      case RMSPROP -> new KerasRMSprop(graph, lr, (float) rho, (float) momentum,
          (float) epsilon, false);
      case ADAM -> new KerasAdam(graph, lr, (float) beta1, (float) beta2, (float) epsilon);
      case ADADELTA -> new AdaDelta(graph, lr, (float) rho, (float) epsilon);
    };
  }

  /** The hyper-parameters that matter for this kind, by their Keras names. */
  public Map<String, Object> config() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", kind.kerasName());
    m.put("learning_rate", learningRate);
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
    Kind kind = switch (String.valueOf(m.get("name")).toLowerCase(Locale.ROOT)) {
      case "sgd" -> Kind.SGD;
      case "rmsprop" -> Kind.RMSPROP;
      case "adam" -> Kind.ADAM;
      case "adadelta" -> Kind.ADADELTA;
      default -> throw new IllegalArgumentException("unknown optimizer " + m.get("name"));
    };
    OptimizerSpec d = defaults(kind);
    return new OptimizerSpec(kind,
        num(m, "learning_rate", d.learningRate),
        num(m, "rho", d.rho),
        num(m, "momentum", d.momentum),
        m.containsKey("nesterov") ? Boolean.TRUE.equals(m.get("nesterov")) : d.nesterov,
        num(m, "beta_1", d.beta1),
        num(m, "beta_2", d.beta2),
        num(m, "epsilon", d.epsilon));
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
      String text = v instanceof Double d ? number(d) : String.valueOf(v);
      sb.append(first ? "" : ", ").append(e.getKey()).append('=').append(text);
      first = false;
    }
    return sb.append(')').toString();
  }
}
