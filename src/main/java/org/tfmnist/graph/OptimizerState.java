package org.tfmnist.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.KerasAdadelta;
import org.tfmnist.optim.KerasAdam;
import org.tfmnist.optim.KerasRMSprop;
import org.tfmnist.optim.KerasSGD;
import org.tfmnist.optim.OptimizerSpec;

/**
 * The optimizer's state as Keras 3 keeps it ({@code optimizer.variables}): {@code iterations}, the
 * {@code learning_rate} variable (absent under a schedule), then the slots of the trained weights,
 * in the order of {@link #kerasOrder}. {@code slots} maps our variable name ("dense_kernel") to
 * Keras' slot name ("momentum", "velocity", ...) to the value in Keras' meaning; the caller closes
 * the tensors.
 *
 * <p>Keras' slots and our kernels' mostly hold the same numbers: RMSprop's velocity is
 * ApplyRMSProp's mean square (and its momentum the same momentum), Adam's momentum/velocity are
 * m/v, Adadelta's accumulated_grad/accumulated_delta_var are accum/accum_update. Two differ: SGD's
 * momentum is Keras' velocity v = m v - lr g, ApplyMomentum keeps a = m a + g, so v = -lr a (exact
 * under a constant rate; under a schedule the rate of the coming step is used); and Adam's bias
 * corrections, which Keras computes from iterations, are variables of ours (beta^(iterations+1)).
 */
public record OptimizerState(
    OptimizerSpec optimizer,
    long iterations,
    float learningRate,
    Map<String, Map<String, TFloat32>> slots)
    implements AutoCloseable {

  /** One slot in Keras' order: our weight's variable name and Keras' slot name. */
  public record Slot(String variableName, String kerasName) {}

  /** Whether Keras keeps {@code learning_rate} as a variable (not under a schedule). */
  public static boolean hasLearningRateVariable(OptimizerSpec spec) {
    return spec.schedule() == null;
  }

  /** Keras' optimizer name, the {@code name} attribute of its weights group ("rm_sprop"). */
  public static String kerasName(OptimizerSpec spec) {
    return switch (spec.kind()) {
      case SGD -> "sgd";
      case RMSPROP -> "rm_sprop";
      case ADAM -> "adam";
      case ADADELTA -> "adadelta";
    };
  }

  /**
   * The slots after iterations (and learning_rate), as Keras 3.15's optimizers create them: SGD one
   * momentum per weight when momentum != 0; RMSprop every velocity, then every momentum when
   * momentum > 0; Adam momentum and velocity interleaved per weight; Adadelta accumulated_grad and
   * accumulated_delta_var interleaved. Only trained weights have slots.
   */
  public static List<Slot> kerasOrder(OptimizerSpec spec, Sequential network) {
    List<String> trained = new ArrayList<>();
    for (Sequential.WeightVariable w : network.weights()) {
      if (w.spec().trainable()) {
        trained.add(w.variableName());
      }
    }
    List<Slot> out = new ArrayList<>();
    switch (spec.kind()) {
      case SGD -> {
        if (spec.momentum() != 0) {
          trained.forEach(v -> out.add(new Slot(v, "momentum")));
        }
      }
      case RMSPROP -> {
        trained.forEach(v -> out.add(new Slot(v, "velocity")));
        if (spec.momentum() > 0) {
          trained.forEach(v -> out.add(new Slot(v, "momentum")));
        }
      }
      case ADAM ->
          trained.forEach(
              v -> {
                out.add(new Slot(v, "momentum"));
                out.add(new Slot(v, "velocity"));
              });
      case ADADELTA ->
          trained.forEach(
              v -> {
                out.add(new Slot(v, "accumulated_grad"));
                out.add(new Slot(v, "accumulated_delta_var"));
              });
    }
    return out;
  }

  /** The value of one slot (null when absent). */
  public TFloat32 slot(Slot s) {
    Map<String, TFloat32> m = slots.get(s.variableName());
    return m == null ? null : m.get(s.kerasName());
  }

  @Override
  public void close() {
    slots.values().forEach(m -> m.values().forEach(TFloat32::close));
  }

  // ------------------------------------------------------------ a live training graph

  /** Our kernel's slot for Keras' slot of {@code kind}. */
  private static String ourSlot(OptimizerSpec spec, String keras) {
    return switch (spec.kind()) {
      case SGD -> KerasSGD.MOMENTUM;
      case RMSPROP -> keras.equals("velocity") ? KerasRMSprop.RMS : KerasRMSprop.MOMENTUM;
      case ADAM -> keras.equals("momentum") ? KerasAdam.FIRST_MOMENT : KerasAdam.SECOND_MOMENT;
      case ADADELTA ->
          keras.equals("accumulated_grad")
              ? KerasAdadelta.ACCUMULATOR
              : KerasAdadelta.ACCUMULATOR_UPDATE;
    };
  }

  /** What a training graph lends to read and set its optimizer's variables. */
  record Live(
      Graph graph,
      Session session,
      Optimizer optimizer,
      Map<String, Variable<TFloat32>> weights,
      OptimizerSpec spec,
      Sequential network) {

    Variable<TFloat32> slotVariable(Slot s) {
      return optimizer
          .getSlot(weights.get(s.variableName()).asOutput(), ourSlot(spec, s.kerasName()))
          .orElseThrow(() -> new IllegalStateException("no slot for " + s));
    }

    /** Adam's bias-correction powers (beta1_power, beta2_power), found by their names. */
    Output<TFloat32> power(String name) {
      var it = graph.operations();
      while (it.hasNext()) {
        GraphOperation op = (GraphOperation) it.next();
        if (op.type().equals("VariableV2")
            && (op.name().equals(name) || op.name().endsWith("/" + name))) {
          return op.output(0);
        }
      }
      throw new IllegalStateException("no " + name + " variable in the training graph");
    }
  }

  /** Reads the state of {@code live}'s optimizer at {@code iterations} and rate {@code lr}. */
  static OptimizerState read(Live live, long iterations, float lr) {
    List<Slot> order = kerasOrder(live.spec(), live.network());
    Map<String, Map<String, TFloat32>> slots = new LinkedHashMap<>();
    if (order.isEmpty()) {
      return new OptimizerState(live.spec(), iterations, lr, slots);
    }
    Session.Runner r = live.session().runner();
    order.forEach(s -> r.fetch(live.slotVariable(s)));
    try (Result res = r.run()) {
      for (int i = 0; i < order.size(); i++) {
        Slot s = order.get(i);
        TFloat32 v = (TFloat32) res.get(i);
        TFloat32 copy = TFloat32.tensorOf(v.shape());
        v.copyTo(copy);
        if (live.spec().kind() == OptimizerSpec.Kind.SGD) {
          scale(copy, -lr); // Keras' velocity is -lr times ApplyMomentum's accumulator
        }
        slots
            .computeIfAbsent(s.variableName(), k -> new LinkedHashMap<>())
            .put(s.kerasName(), copy);
      }
    }
    return new OptimizerState(live.spec(), iterations, lr, slots);
  }

  /**
   * Sets {@code live}'s slots (and Adam's powers) from {@code state}; slots Keras lacks (RMSprop's
   * momentum when momentum is 0) are zeroed. The caller sets iterations and the rate.
   */
  static void write(Live live, OptimizerState state, float lr) {
    OptimizerSpec spec = live.spec();
    Ops tf = Ops.create(live.graph()).withSubScope("set_optimizer_state");
    Session.Runner r = live.session().runner();
    List<AutoCloseable> fed = new ArrayList<>();
    try {
      for (Slot s : kerasOrder(spec, live.network())) {
        TFloat32 v = state.slot(s);
        if (v == null) {
          throw new IllegalArgumentException("no optimizer value for " + s);
        }
        if (spec.kind() == OptimizerSpec.Kind.SGD) {
          TFloat32 copy = TFloat32.tensorOf(v.shape());
          v.copyTo(copy);
          scale(copy, lr == 0 ? 0 : -1 / lr);
          fed.add(copy);
          v = copy;
        }
        Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
        r.feed(in, v).addTarget(tf.assign(live.slotVariable(s), in));
      }
      if (spec.kind() == OptimizerSpec.Kind.ADAM) {
        float t = state.iterations() + 1;
        r.addTarget(
            tf.assign(live.power("beta1_power"), tf.constant((float) Math.pow(spec.beta1(), t))));
        r.addTarget(
            tf.assign(live.power("beta2_power"), tf.constant((float) Math.pow(spec.beta2(), t))));
      }
      r.run();
    } finally {
      for (AutoCloseable c : fed) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private static void scale(TFloat32 t, float k) {
    float[] a = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(a, false, false));
    for (int i = 0; i < a.length; i++) {
      a[i] *= k;
    }
    t.copyFrom(org.tensorflow.ndarray.buffer.DataBuffers.of(a, true, false));
  }
}
