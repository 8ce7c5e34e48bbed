package org.tfmnist.keras;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tfmnist.nn.Layer;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;

/**
 * A model's Keras JSON both ways: Keras 3's {@code config.json} (what {@code
 * keras.saving.serialize_keras_object(model)} gives) written from a {@link Sequential}, and read
 * back from it or from a legacy {@code .h5}'s {@code model_config} and {@code training_config}. A
 * {@code Sequential} and a functional {@code Model} that is a single chain of layers are read;
 * anything this library cannot build is one line naming it and its place.
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class KerasConfig {

  private KerasConfig() {}

  /**
   * Keras 3's {@code config.json} of {@code network}, with its {@code compile_config} when {@code
   * optimizer} is not null.
   */
  public static String toJson(Sequential network, OptimizerSpec optimizer, Loss loss) {
    List<Object> layers = new ArrayList<>();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("batch_shape", KerasJson.batchShape(network.inputShape()));
    input.put("dtype", "float32");
    input.put("sparse", false);
    input.put("ragged", false);
    input.put("name", "input_layer");
    input.put("optional", false);
    layers.add(KerasJson.object("keras.layers", "InputLayer", input));
    for (Sequential.BuiltLayer b : network.layers()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", b.name());
      c.put("trainable", true);
      c.put("dtype", KerasJson.float32Policy());
      c.putAll(KerasLayers.config(b.layer()));
      Map<String, Object> o = KerasJson.object("keras.layers", b.layer().kerasType(), c);
      o.put("build_config", Map.of("input_shape", KerasJson.batchShape(b.inputShape())));
      layers.add(o);
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", network.name());
    config.put("trainable", true);
    config.put("dtype", KerasJson.float32Policy());
    config.put("layers", layers);
    config.put("build_input_shape", KerasJson.batchShape(network.inputShape()));
    Map<String, Object> model = KerasJson.object("keras", "Sequential", config);
    model.put("build_config", Map.of("input_shape", KerasJson.batchShape(network.inputShape())));
    if (optimizer != null) {
      model.put("compile_config", KerasCompile.config(optimizer, loss));
    }
    return KerasJson.write(model);
  }

  /** Reads a Keras 3 {@code config.json}; {@code file} names the file in errors. */
  public static KerasModelConfig fromJson(Path file, String configJson) {
    Map<String, Object> m = KerasJson.read(file, "config.json", configJson);
    Map<String, Object> compile = KerasJson.map(m.get("compile_config"));
    // an uncompiled model's model.to_json() holds "compile_config": {}
    boolean compiled = compile != null && compile.get("optimizer") != null;
    return new KerasModelConfig(
        network(file, m), compiled ? KerasCompile.read(file, compile) : null);
  }

  /**
   * Reads a legacy {@code .h5}'s {@code model_config} and {@code training_config} (null when the
   * model was saved without {@code compile()}).
   */
  public static KerasModelConfig fromLegacy(Path file, String modelConfig, String trainingConfig) {
    Map<String, Object> m = KerasJson.read(file, "model_config", modelConfig);
    KerasModelConfig.Compiled compiled =
        trainingConfig == null
            ? null
            : KerasCompile.read(file, KerasJson.read(file, "training_config", trainingConfig));
    return new KerasModelConfig(network(file, m), compiled);
  }

  private static Sequential network(Path file, Map<String, Object> m) {
    String cls = String.valueOf(m.get("class_name"));
    Map<String, Object> c = KerasJson.map(m.get("config"));
    if (c == null || KerasJson.list(c.get("layers")) == null) {
      throw new KerasFileException(file, "the model's config has no list of layers");
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Object o : KerasJson.list(c.get("layers"))) {
      entries.add(KerasJson.map(o));
    }
    String name = String.valueOf(c.getOrDefault("name", "model"));
    return switch (cls) {
      case "Sequential" -> build(file, name, entries, c.get("build_input_shape"));
      case "Functional", "Model" -> build(file, name, chain(file, c, entries), null);
      default ->
          throw new KerasFileException(
              file, "a " + cls + " model is not supported (a Sequential, or a functional chain)");
    };
  }

  /** The layers of a functional model, input first, if they form a single chain. */
  private static List<Map<String, Object>> chain(
      Path file, Map<String, Object> c, List<Map<String, Object>> entries) {
    Map<String, Map<String, Object>> byName = new HashMap<>();
    for (Map<String, Object> e : entries) {
      byName.put(layerName(e), e);
    }
    List<Object> outs = tensors(c.get("output_layers"));
    List<Object> ins = tensors(c.get("input_layers"));
    if (outs == null || ins == null || outs.size() != 1 || ins.size() != 1) {
      throw notAChain(file, "it has " + size(ins) + " inputs and " + size(outs) + " outputs");
    }
    List<Map<String, Object>> chain = new ArrayList<>();
    String at = String.valueOf(KerasJson.list(outs.get(0)).get(0));
    while (true) {
      Map<String, Object> e = byName.get(at);
      if (e == null || chain.contains(e)) {
        throw notAChain(file, "layer '" + at + "' is missing or reached twice");
      }
      chain.add(0, e);
      List<Object> nodes = KerasJson.list(e.get("inbound_nodes"));
      if (nodes == null || nodes.isEmpty()) {
        break;
      }
      if (nodes.size() != 1) {
        throw notAChain(file, "layer '" + at + "' is called " + nodes.size() + " times");
      }
      at = inbound(file, at, nodes.get(0));
    }
    if (chain.size() != entries.size()) {
      throw notAChain(
          file,
          (entries.size() - chain.size()) + " of its layers are not on the input-output path");
    }
    return chain;
  }

  /** The one layer a node's input comes from (Keras 3's keras_history, Keras 2's lists). */
  private static String inbound(Path file, String layer, Object node) {
    Map<String, Object> k3 = KerasJson.map(node);
    if (k3 != null) {
      List<Object> args = KerasJson.list(k3.get("args"));
      Map<String, Object> t = args == null || args.size() != 1 ? null : KerasJson.map(args.get(0));
      Map<String, Object> tc = t == null ? null : KerasJson.map(t.get("config"));
      List<Object> history = tc == null ? null : KerasJson.list(tc.get("keras_history"));
      if (history == null) {
        throw notAChain(file, "layer '" + layer + "' takes more than one input");
      }
      return String.valueOf(history.get(0));
    }
    List<Object> k2 = KerasJson.list(node);
    if (k2 == null || k2.size() != 1 || KerasJson.list(k2.get(0)) == null) {
      throw notAChain(file, "layer '" + layer + "' takes more than one input");
    }
    return String.valueOf(KerasJson.list(k2.get(0)).get(0));
  }

  /** A list of [layer, node, tensor] triples; Keras 3 writes a single one unwrapped. */
  private static List<Object> tensors(Object v) {
    List<Object> l = KerasJson.list(v);
    return l != null && !l.isEmpty() && l.get(0) instanceof String ? List.of(l) : l;
  }

  private static KerasFileException notAChain(Path file, String why) {
    return new KerasFileException(
        file, "the functional model is not a single chain of layers: " + why);
  }

  private static int size(List<Object> l) {
    return l == null ? 0 : l.size();
  }

  private static String layerName(Map<String, Object> e) {
    Object n = e.get("name");
    if (n == null && KerasJson.map(e.get("config")) != null) {
      n = KerasJson.map(e.get("config")).get("name");
    }
    return String.valueOf(n);
  }

  /** The network of the layer entries, an InputLayer (or a first layer's input shape) first. */
  private static Sequential build(
      Path file, String name, List<Map<String, Object>> entries, Object buildInputShape) {
    long[] input = null;
    List<Layer> layers = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Map<String, Object> e = entries.get(i);
      String cls = String.valueOf(e.get("class_name"));
      String layerName = layerName(e);
      Map<String, Object> c = KerasJson.map(e.get("config"));
      String place = "layer " + i + " '" + layerName + "' (" + cls + ")";
      KerasArgs a = new KerasArgs(file, place, c);
      long[] declared = shape(a, "batch_shape", "batch_input_shape");
      if (input == null && declared != null) {
        input = declared;
      }
      if (cls.equals("InputLayer")) {
        continue;
      }
      a.require("trainable", true, " (frozen layers are not supported)");
      layers.add(KerasLayers.layer(cls, a));
      names.add(layerName);
    }
    if (input == null && buildInputShape instanceof List<?> l && !l.isEmpty()) {
      input = shape(new KerasArgs(file, "the model", Map.of("s", l)), "s", "s");
    }
    if (input == null) {
      throw new KerasFileException(file, "the model declares no input shape (no InputLayer)");
    }
    if (!Arrays.equals(input, new long[] {28, 28})
        && !Arrays.equals(input, new long[] {28, 28, 1})) {
      throw new KerasFileException(
          file,
          "the input shape "
              + Arrays.toString(input)
              + " is not supported: the models here take 28x28 images, (28, 28) or (28, 28, 1)");
    }
    Sequential net;
    try {
      net = Sequential.of(name, input, layers, names);
    } catch (IllegalArgumentException e) {
      throw new KerasFileException(file, e.getMessage(), e);
    }
    if (!Arrays.equals(net.outputShape(), new long[] {10})) {
      throw new KerasFileException(
          file,
          "the output shape "
              + Arrays.toString(net.outputShape())
              + " is not supported: the models here classify the 10 digits, (10,)");
    }
    return net;
  }

  /** A batch shape [null, d...] under one of {@code keys}, without its batch dimension. */
  private static long[] shape(KerasArgs a, String key, String legacyKey) {
    Object v = a.has(key) ? a.raw(key) : a.raw(legacyKey);
    List<Object> l = KerasJson.list(v);
    if (l == null) {
      return null;
    }
    long[] s = new long[l.size() - 1];
    for (int i = 1; i < l.size(); i++) {
      if (!(l.get(i) instanceof Number n)) {
        throw a.error("the input shape " + KerasJson.show(v) + " has a dimension of any size");
      }
      s[i - 1] = n.longValue();
    }
    return s;
  }
}
