package org.tfmnist.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Each optimizer's first steps against Keras 3's update rules computed by hand, on the loss L(w) =
 * sum(c * w), whose gradient is the constant c.
 */
class OptimizerSpecTest {

  private static final float[] W0 = {0.5f, -1.0f, 2.0f};
  private static final float[] G = {0.1f, -0.02f, 3.0f};

  /** The weights after {@code steps} updates by the framework optimizer {@code spec} makes. */
  private static float[] run(OptimizerSpec spec, int steps) {
    return run(spec, steps, W0, G);
  }

  /** The same, from weights {@code w0} with the constant gradient {@code grad}. */
  private static float[] run(OptimizerSpec spec, int steps, float[] w0, float[] grad) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> w = tf.withName("w").variable(Shape.of(3), TFloat32.class);
      Op init = tf.assign(w, tf.constant(w0));
      var loss = tf.reduceSum(tf.math.mul(w, tf.constant(grad)), tf.constant(0));
      var grads = g.addGradients(loss.asOutput(), new org.tensorflow.Output<?>[] {w.asOutput()});
      Optimizer opt = spec.create(g, tf.constant((float) spec.learningRate()));
      @SuppressWarnings({"unchecked", "rawtypes"})
      Op apply =
          opt.applyGradients(List.of(new Optimizer.GradAndVar(grads[0], w.asOutput())), "apply");
      try (Session s = new Session(g)) {
        s.runner().addTarget(init).run();
        for (int i = 0; i < steps; i++) {
          s.runner().addTarget(apply).run();
        }
        try (Result r = s.runner().fetch(w).run()) {
          TFloat32 t = (TFloat32) r.get(0);
          return new float[] {t.getFloat(0), t.getFloat(1), t.getFloat(2)};
        }
      }
    }
  }

  private static void assertClose(double[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "element " + i);
    }
  }

  @Test
  void sgd() {
    double[] e = new double[3];
    for (int i = 0; i < 3; i++) {
      e[i] = W0[i] - 0.01 * G[i];
    }
    assertClose(e, run(OptimizerSpec.sgd(), 1));
  }

  @Test
  void sgdMomentumTwoSteps() {
    // Keras: v = m v - lr g; w += v
    double lr = 0.01;
    double m = 0.9;
    double[] e = new double[3];
    for (int i = 0; i < 3; i++) {
      double v = -lr * G[i];
      double w = W0[i] + v;
      v = m * v - lr * G[i];
      e[i] = w + v;
    }
    assertClose(e, run(OptimizerSpec.sgd().withMomentum(m), 2));
  }

  @Test
  void sgdNesterov() {
    // Keras: v = m v - lr g; w += m v - lr g
    double lr = 0.01;
    double m = 0.9;
    double[] e = new double[3];
    for (int i = 0; i < 3; i++) {
      double v = -lr * G[i];
      e[i] = W0[i] + m * v - lr * G[i];
    }
    assertClose(e, run(OptimizerSpec.sgd().withMomentum(m).withNesterov(true), 1));
  }

  @Test
  void rmspropStartsFromAZeroAccumulatorAsKerasDoes() {
    // Keras: velocity = rho velocity + (1-rho) g^2 (from 0); w -= lr g / sqrt(velocity + eps)
    double lr = 0.001;
    double rho = 0.9;
    double eps = 1e-7;
    double[] e = new double[3];
    for (int i = 0; i < 3; i++) {
      double vel = 0;
      double w = W0[i];
      for (int s = 0; s < 2; s++) {
        vel = rho * vel + (1 - rho) * G[i] * G[i];
        w -= lr * G[i] / Math.sqrt(vel + eps);
      }
      e[i] = w;
    }
    assertClose(e, run(OptimizerSpec.rmsprop(), 2));
  }

  /** Keras 3's Adam from m = v = 0 at w0 = 0: the weights after {@code steps} steps. */
  private static double[] kerasAdam(double eps, int steps, float[] grad) {
    double lr = 0.001;
    double b1 = 0.9;
    double b2 = 0.999;
    double[] e = new double[grad.length];
    for (int i = 0; i < grad.length; i++) {
      double m = 0;
      double v = 0;
      double w = 0;
      for (int t = 1; t <= steps; t++) {
        m = b1 * m + (1 - b1) * grad[i];
        v = b2 * v + (1 - b2) * grad[i] * grad[i];
        // alpha = lr sqrt(1 - b2^t) / (1 - b1^t); w -= alpha m / (sqrt(v) + eps)
        double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
        w -= alpha * m / (Math.sqrt(v) + eps);
      }
      e[i] = w;
    }
    return e;
  }

  @Test
  void adamTwoStepsAsKeras() {
    double[] e = kerasAdam(1e-7, 2, G);
    for (int i = 0; i < 3; i++) {
      e[i] += W0[i];
    }
    assertClose(e, run(OptimizerSpec.adam(), 2));
  }

  @Test
  void adamWithKerasEpsilon() {
    // With |g| ~ 1e-7, sqrt(v) ~ 3e-9 is smaller than epsilon, so epsilon sets the step size:
    // 1e-7 (Keras) and 1e-8 (the framework's Adam) move the weights by factors apart. The
    // weights start at 0 so that float32 keeps the tiny steps' relative precision.
    float[] tiny = {1e-7f, -2e-7f, 5e-8f};
    float[] zero = {0, 0, 0};
    double[] keras = kerasAdam(1e-7, 2, tiny);
    double[] other = kerasAdam(1e-8, 2, tiny);
    float[] got = run(OptimizerSpec.adam(), 2, zero, tiny);
    float[] got8 = run(OptimizerSpec.adam().withEpsilon(1e-8), 2, zero, tiny);
    for (int i = 0; i < 3; i++) {
      // the two formulas are far apart (more than 2x here) ...
      assertTrue(Math.abs(other[i]) > 2 * Math.abs(keras[i]), keras[i] + " vs " + other[i]);
      // ... and the default follows Keras' epsilon to 1e-4 relative, not the framework's
      assertEquals(keras[i], got[i], 1e-4 * Math.abs(keras[i]), "element " + i);
      assertTrue(Math.abs(got[i] - other[i]) > 0.5 * Math.abs(other[i]), "element " + i);
      // the test tells them apart: epsilon 1e-8 given explicitly gives the other formula
      assertEquals(other[i], got8[i], 1e-4 * Math.abs(other[i]), "element " + i);
    }
    assertEquals(1e-7, OptimizerSpec.adam().epsilon());
  }

  @Test
  void adamIsDeterministicStepAfterStep() {
    // TF Java 1.0.0's Adam updates beta1_power/beta2_power in parallel with ApplyAdam, so a step
    // sometimes used the next step's bias correction; KerasAdam orders them. Run it many times.
    float[] first = run(OptimizerSpec.adam(), 1);
    for (int i = 0; i < 30; i++) {
      float[] again = run(OptimizerSpec.adam(), 1);
      for (int k = 0; k < 3; k++) {
        assertEquals(first[k], again[k], 0f, "run " + i);
      }
    }
    // one step moves each weight by lr (m / sqrt(v) = sign(g) after bias correction)
    assertEquals(W0[0] - 0.001, first[0], 1e-6);
  }

  @Test
  void adadeltaWithKeras2LearningRate() {
    // Keras: ag = rho ag + (1-rho) g^2; d = sqrt(ad + eps) / sqrt(ag + eps) g;
    //        ad = rho ad + (1-rho) d^2; w -= lr d
    double lr = 1.0;
    double rho = 0.95;
    double eps = 1e-7;
    double[] e = new double[3];
    for (int i = 0; i < 3; i++) {
      double ag = 0;
      double ad = 0;
      double w = W0[i];
      for (int s = 0; s < 2; s++) {
        ag = rho * ag + (1 - rho) * G[i] * G[i];
        double d = Math.sqrt(ad + eps) / Math.sqrt(ag + eps) * G[i];
        ad = rho * ad + (1 - rho) * d * d;
        w -= lr * d;
      }
      e[i] = w;
    }
    assertClose(e, run(OptimizerSpec.adadelta().withLearningRate(1.0), 2));
  }

  @Test
  void configRoundTrips() {
    for (OptimizerSpec s :
        List.of(
            OptimizerSpec.sgd().withMomentum(0.5).withNesterov(true),
            OptimizerSpec.rmsprop(),
            OptimizerSpec.adam().withLearningRate(0.002),
            OptimizerSpec.adadelta().withLearningRate(1.0))) {
      assertEquals(s, OptimizerSpec.fromConfig(s.config()));
    }
  }
}
