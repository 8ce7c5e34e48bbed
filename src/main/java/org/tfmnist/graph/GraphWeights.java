package org.tfmnist.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;

/**
 * The model's weights in the training graph: reference variables named "{layer}_{param}" (TF Java's
 * framework optimizers apply their updates with the ref-variable kernels, and {@link Session#save}
 * then checkpoints exactly the weights and the optimizer's slots), their seeded initialisers, and
 * the copies out and assignments in that {@code get_weights}/{@code set_weights} need.
 */
final class GraphWeights {

  private final Ops tf;
  private final Map<String, Variable<TFloat32>> vars;

  /** The weights the optimizer trains (not a batch norm's moving statistics). */
  private final List<String> trainable = new ArrayList<>();

  private final List<Op> inits = new ArrayList<>();
  private final Map<String, Placeholder<TFloat32>> weightIn = new LinkedHashMap<>();
  private final List<Op> weightAssign = new ArrayList<>();

  /** Declares {@code model}'s weights, initialised in the graph from {@code seed}. */
  GraphWeights(Ops tf, Sequential model, long seed) {
    this.tf = tf;
    this.vars = ModelVariables.create(tf, model);
    int w = 0;
    for (Sequential.WeightVariable weight : model.weights()) {
      long[] shape = weight.spec().shape();
      Variable<TFloat32> v = vars.get(weight.variableName());
      // one seed per weight, fixed by its position: the same seed gives the same initial weights
      Operand<TInt64> key = tf.constant(new long[] {seed, 1_000_003L * (++w)});
      Ops named = tf.withSubScope(weight.variableName() + "_init");
      inits.add(named.assign(v, weight.spec().initializer().create(named, shape, key)));
      if (weight.spec().trainable()) {
        trainable.add(weight.variableName());
      }
    }
  }

  /** Every weight by variable name, in the model's order. */
  Map<String, Variable<TFloat32>> variables() {
    return vars;
  }

  /** The weights as operands, for a forward pass (a fresh map: the pass may read it freely). */
  Map<String, Operand<TFloat32>> values() {
    return new LinkedHashMap<>(vars);
  }

  /** The names of the weights the optimizer trains, in order. */
  List<String> trainable() {
    return trainable;
  }

  /** The weights' initialisers. */
  List<Op> initializers() {
    return inits;
  }

  /**
   * A copy of every weight's current value. Copies: a fetched variable shares its buffer with the
   * variable, which the next training step updates in place.
   */
  WeightSnapshot snapshot(Session session) {
    Session.Runner r = session.runner();
    List<String> names = new ArrayList<>(vars.keySet());
    for (String n : names) {
      r.fetch(vars.get(n));
    }
    Map<String, TFloat32> out = new LinkedHashMap<>();
    try (Result res = r.run()) {
      for (int i = 0; i < names.size(); i++) {
        TFloat32 live = (TFloat32) res.get(i);
        TFloat32 copy = TFloat32.tensorOf(live.shape());
        live.copyTo(copy);
        out.put(names.get(i), copy);
      }
    } catch (RuntimeException e) {
      out.values().forEach(Tensor::close);
      throw e;
    }
    return WeightSnapshot.of(out);
  }

  /** Sets every weight to {@code values} (by variable name); the assignments are built once. */
  void assign(Session session, Map<String, ? extends Tensor> values) {
    if (weightIn.isEmpty()) {
      Ops w = tf.withSubScope("set_weights");
      for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
        Placeholder<TFloat32> in = w.placeholder(TFloat32.class);
        weightIn.put(e.getKey(), in);
        weightAssign.add(w.assign(e.getValue(), in));
      }
    }
    Session.Runner r = session.runner();
    for (Map.Entry<String, Placeholder<TFloat32>> e : weightIn.entrySet()) {
      Tensor v = values.get(e.getKey());
      if (v == null) {
        throw new IllegalArgumentException("no value for weight " + e.getKey());
      }
      r.feed(e.getValue(), v);
    }
    weightAssign.forEach(r::addTarget);
    r.run();
  }
}
