package org.tfmnist.train;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Loss;
import org.tfmnist.optim.OptimizerSpec;

/** A checkpoint's {@code state.json}: {@link Checkpoints.State} written and read. */
final class StateJson {

  private StateJson() {}

  /**
   * The state with the network's definition (Keras' config JSON) recorded, whatever the caller
   * filled in: a checkpoint alone then rebuilds its model, a preset's or one defined in code.
   */
  static Checkpoints.State withDefinition(Checkpoints.State s, TrainingGraph g) {
    if (s.model() != null) {
      return s;
    }
    String definition;
    try {
      definition = org.tfmnist.keras.KerasConfig.toJson(g.network(), null, null);
    } catch (IllegalArgumentException e) {
      return s; // a layer of the caller's own has no Keras form: the preset's name must say it
    }
    return new Checkpoints.State(
        s.preset(),
        s.dataset(),
        s.epoch(),
        s.recipe(),
        s.seed(),
        s.trainLimit(),
        s.testLimit(),
        s.globalStep(),
        s.history(),
        definition);
  }

  static String write(Checkpoints.State s) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", s.preset());
    m.put("dataset", s.dataset());
    m.put("epoch", s.epoch());
    m.put("epochs", s.recipe().epochs());
    m.put("batch_size", s.recipe().batchSize());
    m.put("validation_split", s.recipe().validationSplit());
    m.put("loss", s.recipe().loss().id());
    m.put("optimizer", s.recipe().optimizer().config());
    m.put("dtype_policy", s.recipe().dtypePolicy().kerasName());
    m.put("seed", s.seed());
    m.put("train_limit", s.trainLimit());
    m.put("test_limit", s.testLimit());
    m.put("global_step", s.globalStep());
    m.put("history", s.history().toMap());
    if (s.model() != null) {
      m.put("model", JSON.std.mapFrom(s.model()));
    }
    return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(m) + "\n";
  }

  @SuppressWarnings("unchecked")
  static Checkpoints.State read(String json) throws IOException {
    Map<String, Object> m = JSON.std.mapFrom(json);
    Recipe recipe =
        new Recipe(
            OptimizerSpec.fromConfig((Map<String, Object>) m.get("optimizer")),
            Loss.parse((String) m.get("loss")),
            ((Number) m.get("epochs")).intValue(),
            ((Number) m.get("batch_size")).intValue(),
            ((Number) m.get("validation_split")).doubleValue(),
            // checkpoints written before mixed precision existed trained in float32
            DTypePolicy.parse((String) m.getOrDefault("dtype_policy", "float32")));
    History h = History.fromJson(JSON.std.asString(m.get("history")));
    return new Checkpoints.State(
        (String) m.get("preset"),
        (String) m.get("dataset"),
        ((Number) m.get("epoch")).intValue(),
        recipe,
        ((Number) m.get("seed")).longValue(),
        ((Number) m.get("train_limit")).intValue(),
        ((Number) m.get("test_limit")).intValue(),
        ((Number) m.get("global_step")).longValue(),
        h,
        m.get("model") == null ? null : JSON.std.asString(m.get("model")));
  }
}
