package org.tfmnist.keras;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tfmnist.nn.Loss;
import org.tfmnist.optim.OptimizerSpec;

/**
 * A model's {@code compile()} arguments in Keras' words, both ways: Keras 3's {@code
 * compile_config} and a legacy {@code .h5}'s {@code training_config}: the optimizer with its
 * hyper-parameters (a learning-rate schedule included), the loss, and the metrics.
 */
final class KerasCompile {

  private KerasCompile() {}

  /** Keras 3's {@code compile_config}. */
  static Map<String, Object> config(OptimizerSpec optimizer, Loss loss) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("optimizer", optimizer(optimizer));
    c.put("loss", loss(loss));
    c.put("loss_weights", null);
    c.put("metrics", List.of("accuracy"));
    c.put("weighted_metrics", null);
    c.put("run_eagerly", false);
    c.put("steps_per_execution", 1);
    c.put("jit_compile", false);
    return c;
  }

  private static Map<String, Object> optimizer(OptimizerSpec o) {
    Map<String, Object> c = new LinkedHashMap<>(o.config());
    c.put("name", org.tfmnist.graph.OptimizerState.kerasName(o));
    if (o.schedule() != null) {
      Map<String, Object> s = KerasJson.map(o.schedule().config());
      c.put(
          "learning_rate",
          KerasJson.object(
              "keras.optimizers.schedules",
              String.valueOf(s.get("class_name")),
              new LinkedHashMap<>(KerasJson.map(s.get("config")))));
    }
    return KerasJson.object("keras.optimizers", o.kind().kerasName(), c);
  }

  /**
   * The loss as Keras serializes it: its function name, or its class with {@code from_logits}.
   * Nielsen's quadratic cost has no Keras form: its nearest, {@code mean_squared_error}, is written
   * (a fifth of it for 10 outputs; see {@link Loss#QUADRATIC}).
   */
  private static Object loss(Loss loss) {
    if (loss == Loss.QUADRATIC) {
      return "mean_squared_error";
    }
    if (!loss.fromLogits()) {
      return loss.kerasName();
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", loss.kerasName());
    c.put("reduction", "sum_over_batch_size");
    c.put("from_logits", true);
    c.put("ignore_class", null);
    if (loss == Loss.CATEGORICAL_CROSSENTROPY_FROM_LOGITS) {
      c.remove("ignore_class");
      c.put("label_smoothing", 0.0);
      c.put("axis", -1);
    }
    return KerasJson.object("keras.losses", loss.kerasClass(), c);
  }

  /** Reads {@code compile_config} / {@code training_config}: the optimizer and loss. */
  static KerasModelConfig.Compiled read(Path file, Map<String, Object> c) {
    Object opt = c.get("optimizer");
    if (opt == null) {
      opt = c.get("optimizer_config"); // a legacy .h5's training_config
    }
    Map<String, Object> o = KerasJson.map(opt);
    if (o == null) {
      throw new KerasFileException(
          file, "compile: optimizer " + KerasJson.show(opt) + " is not supported");
    }
    return new KerasModelConfig.Compiled(optimizer(file, o), loss(file, c.get("loss")));
  }

  private static OptimizerSpec optimizer(Path file, Map<String, Object> o) {
    String cls = String.valueOf(o.get("class_name"));
    KerasArgs a = new KerasArgs(file, "compile: optimizer " + cls, KerasJson.map(o.get("config")));
    OptimizerSpec.Kind kind =
        switch (cls.toLowerCase(Locale.ROOT)) {
          case "sgd", "custom>sgd" -> OptimizerSpec.Kind.SGD;
          case "rmsprop", "custom>rmsprop" -> OptimizerSpec.Kind.RMSPROP;
          case "adam", "custom>adam" -> OptimizerSpec.Kind.ADAM;
          case "adadelta", "custom>adadelta" -> OptimizerSpec.Kind.ADADELTA;
          default ->
              throw a.error(
                  "not supported (SGD, RMSprop, Adam and Adadelta are, as Keras has them)");
        };
    a.requireNull(
        "weight_decay",
        "clipnorm",
        "global_clipnorm",
        "clipvalue",
        "ema_overwrite_frequency",
        "loss_scale_factor",
        "gradient_accumulation_steps");
    a.require("use_ema", false, "");
    a.require("amsgrad", false, "");
    a.require("centered", false, "");
    a.require("decay", 0, " (Keras 2's decay: use a learning-rate schedule)");
    Map<String, Object> ours = new LinkedHashMap<>(KerasJson.map(o.get("config")));
    ours.put("name", kind.name());
    Object lr = ours.get("learning_rate");
    if (lr == null) {
      lr = ours.get("lr"); // Keras 2.2's name
      ours.put("learning_rate", lr);
    }
    if (KerasJson.map(lr) != null) {
      String s = String.valueOf(KerasJson.map(lr).get("class_name"));
      if (!s.equals("ExponentialDecay") && !s.equals("CosineDecay")) {
        throw a.error("the learning-rate schedule " + s + " is not supported");
      }
      if (s.equals("CosineDecay")) {
        KerasArgs sc =
            new KerasArgs(
                file,
                "compile: learning-rate schedule CosineDecay",
                KerasJson.map(KerasJson.map(lr).get("config")));
        sc.requireNull("warmup_target");
      }
    }
    try {
      return OptimizerSpec.fromConfig(ours);
    } catch (RuntimeException e) {
      throw a.error(String.valueOf(e.getMessage()));
    }
  }

  private static Loss loss(Path file, Object v) {
    String name;
    boolean fromLogits = false;
    if (v instanceof String s) {
      name = s;
    } else if (KerasJson.map(v) != null) {
      Map<String, Object> m = KerasJson.map(v);
      name = String.valueOf(m.get("class_name"));
      KerasArgs a = new KerasArgs(file, "compile: loss " + name, KerasJson.map(m.get("config")));
      fromLogits = a.bool("from_logits", false);
      a.require("label_smoothing", 0, "");
      a.requireNull("ignore_class");
      a.require("axis", -1, "");
    } else {
      throw new KerasFileException(
          file, "compile: loss " + KerasJson.show(v) + " is not supported (one loss, by name)");
    }
    Loss l = Loss.fromKeras(name, fromLogits);
    if (l == null) {
      throw new KerasFileException(
          file,
          "compile: loss '"
              + name
              + "' is not supported (categorical_crossentropy and "
              + "sparse_categorical_crossentropy, with from_logits either way, and "
              + "mean_squared_error)");
    }
    return l;
  }
}
