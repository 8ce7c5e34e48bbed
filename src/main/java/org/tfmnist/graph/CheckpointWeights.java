package org.tfmnist.graph;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.BadInputException;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.util.TensorBundle;

/** Reads a model's weights (not the optimizer's slots) from a training checkpoint. */
public final class CheckpointWeights {

  private CheckpointWeights() {}

  /**
   * The weights of {@code model} stored at checkpoint {@code prefix}, by variable name; the caller
   * closes the snapshot.
   */
  public static WeightSnapshot read(Sequential model, String prefix) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Variable<TFloat32>> vars = new ArrayList<>(ModelVariables.create(tf, model).values());
      try (Session s = new Session(g)) {
        restore(s, prefix);
        Session.Runner r = s.runner();
        vars.forEach(r::fetch);
        Result res = r.run();
        Map<String, TFloat32> out = new LinkedHashMap<>();
        for (int i = 0; i < vars.size(); i++) {
          out.put(model.weights().get(i).variableName(), (TFloat32) res.get(i));
        }
        return WeightSnapshot.of(out);
      }
    } catch (TensorFlowException e) {
      throw unreadable(prefix, e);
    }
  }

  /**
   * Restores the checkpoint at {@code prefix} into {@code session}'s variables: what export and a
   * resumed training both do, so a missing or damaged checkpoint is the same one line for both.
   */
  public static void restore(Session session, String prefix) {
    Path index = Path.of(prefix + ".index");
    if (!Files.isRegularFile(index)) {
      throw BadInputException.of(index, "missing: the checkpoint is incomplete");
    }
    // a shard cut short is named with its sizes before TensorFlow reads it (TensorFlow only says
    // it read fewer bytes than it asked for)
    TensorBundle.problem(Path.of(prefix))
        .ifPresent(
            why -> {
              throw BadInputException.of(Path.of(prefix), why);
            });
    try {
      session.restore(prefix);
    } catch (TensorFlowException e) {
      throw unreadable(prefix, e);
    }
  }

  /** TensorFlow's reason is its message's first line; the rest names graph nodes. */
  private static BadInputException unreadable(String prefix, TensorFlowException e) {
    String m = e.getMessage() == null ? "" : e.getMessage().strip().split("\n")[0];
    return BadInputException.of(Path.of(prefix), "cannot read the checkpoint: " + m);
  }
}
