package org.tfmnist.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.DataFiles;
import org.tfmnist.graph.OptimizerState;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.nn.WeightSpec;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.util.AtomicFile;
import org.tfmnist.util.ErrorReason;

/**
 * Keras 3's {@code model.weights.h5}, as {@code saving_lib}'s H5IOStore lays it out: {@code
 * layers/<name>/vars/<i>} per layer, where {@code <name>} is the layer's class in snake case made
 * unique in model order ("dense", "dense_1", "max_pooling2d"; not the layer's own name, which is
 * the group's {@code name} attribute), every layer with a {@code vars} group even without weights;
 * {@code vars} for the model itself (empty); and {@code optimizer/vars/<i>} holding the optimizer's
 * variables in {@link OptimizerState#kerasOrder} order after {@code iterations} (int64) and {@code
 * learning_rate} (float32, absent under a schedule).
 *
 * <p>Internal: not part of the public API ({@code Model.saveWeights} / {@code loadWeights} are);
 * kept out of the Javadoc site.
 */
public final class KerasWeightsFile {

  /** The largest weights file read: 512 MiB, some 130 million float32 values. */
  public static final long MAX_BYTES = 512L << 20;

  private KerasWeightsFile() {}

  /** Writes the network's weights and, when {@code state} != null, the optimizer's variables. */
  public static void write(
      Path h5, Sequential network, Map<String, TFloat32> weights, OptimizerState state) {
    byte[] bytes = bytes(h5, network, weights, state);
    try {
      AtomicFile.write(h5, bytes);
    } catch (IOException e) {
      throw new KerasFileException(h5, "cannot write: " + ErrorReason.of(e), e);
    }
  }

  /** The file's bytes ({@code file} names it in errors). */
  static byte[] bytes(
      Path file, Sequential network, Map<String, TFloat32> weights, OptimizerState state) {
    Hdf5Writer.G root = new Hdf5Writer.G();
    root.group("vars").attribute("name", network.name());
    Hdf5Writer.G layers = root.group("layers");
    List<String> paths = layerPaths(network);
    for (int i = 0; i < network.layers().size(); i++) {
      Sequential.BuiltLayer b = network.layers().get(i);
      Hdf5Writer.G vars = layers.group(paths.get(i)).group("vars").attribute("name", b.name());
      int k = 0;
      for (WeightSpec p : b.params()) {
        TFloat32 t = weights.get(b.variableName(p));
        if (t == null) {
          throw new IllegalArgumentException("no value for weight " + b.variableName(p));
        }
        vars.dataset(Integer.toString(k++), Hdf5Writer.array(t));
      }
    }
    if (state != null) {
      OptimizerSpec spec = state.optimizer();
      Hdf5Writer.G vars =
          root.group("optimizer").group("vars").attribute("name", OptimizerState.kerasName(spec));
      int k = 0;
      vars.dataset(Integer.toString(k++), Long.valueOf(state.iterations()));
      if (OptimizerState.hasLearningRateVariable(spec)) {
        vars.dataset(Integer.toString(k++), Float.valueOf(state.learningRate()));
      }
      for (OptimizerState.Slot s : OptimizerState.kerasOrder(spec, network)) {
        TFloat32 t = state.slot(s);
        if (t == null) {
          throw new IllegalArgumentException("no optimizer value for " + s);
        }
        vars.dataset(Integer.toString(k++), Hdf5Writer.array(t));
      }
    }
    try {
      return Hdf5Writer.bytes(root);
    } catch (IOException | RuntimeException e) {
      throw new KerasFileException(file, "cannot write the HDF5 weights: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the weights for {@code network} (its layers in the file's order and classes) and, when
   * {@code optimizerOrNull} != null and the file has them, the optimizer's variables.
   */
  public static KerasWeights read(Path h5, Sequential network, OptimizerSpec optimizerOrNull) {
    DataFiles.requireRegular(h5);
    try {
      if (Files.size(h5) > MAX_BYTES) {
        throw new KerasFileException(
            h5, Files.size(h5) + " bytes, more than a weights file may hold (" + MAX_BYTES + ")");
      }
      return read(Files.readAllBytes(h5), h5, network, optimizerOrNull);
    } catch (IOException e) {
      throw new KerasFileException(h5, "cannot read: " + ErrorReason.of(e), e);
    }
  }

  /** Reads the bytes of a weights file; {@code file} names it in errors (the .keras holding it). */
  public static KerasWeights read(
      byte[] h5, Path file, Sequential network, OptimizerSpec optimizerOrNull) {
    try (HdfFile hdf = HdfFile.fromBytes(h5)) {
      return read(hdf, new Hdf5Reader(file), network, optimizerOrNull);
    } catch (KerasFileException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KerasFileException(file, "not a readable HDF5 weights file: " + e.getMessage(), e);
    }
  }

  private static KerasWeights read(
      HdfFile hdf, Hdf5Reader r, Sequential network, OptimizerSpec optimizerOrNull) {
    Map<String, TFloat32> out = new LinkedHashMap<>();
    try {
      Group layers = r.group(hdf, "layers");
      if (layers == null) {
        layers = r.group(hdf, "_layer_checkpoint_dependencies"); // Keras 2.13's name
      }
      List<String> paths = layerPaths(network);
      for (int i = 0; i < network.layers().size(); i++) {
        Sequential.BuiltLayer b = network.layers().get(i);
        String where = "layer '" + b.name() + "'";
        Group g = layers == null ? null : r.group(layers, paths.get(i));
        Group vars = g == null ? null : r.group(g, "vars");
        int have = vars == null ? 0 : vars.getChildren().size();
        if (have != b.params().size()) {
          throw r.error(
              where
                  + (vars == null ? ": no group layers/" + paths.get(i) + "/vars" : "")
                  + ": the file has "
                  + have
                  + " weights, the model needs "
                  + b.params().size());
        }
        int k = 0;
        for (WeightSpec p : b.params()) {
          Dataset d = r.dataset(vars, Integer.toString(k++));
          if (d == null) {
            throw r.error(where + ": no weight " + (k - 1) + " (" + p.name() + ")");
          }
          out.put(b.variableName(p), r.floats(d, p.shape(), where + ": " + p.name()));
        }
      }
      OptimizerState state =
          optimizerOrNull == null ? null : optimizer(hdf, r, network, optimizerOrNull);
      return new KerasWeights(WeightSnapshot.of(out), state);
    } catch (RuntimeException e) {
      out.values().forEach(TFloat32::close);
      throw e;
    }
  }

  /** The optimizer's variables, or null when the file has none or only the unbuilt ones. */
  private static OptimizerState optimizer(
      HdfFile hdf, Hdf5Reader r, Sequential network, OptimizerSpec spec) {
    Group g = r.group(hdf, "optimizer");
    Group vars = g == null ? null : r.group(g, "vars");
    boolean lrVar = OptimizerState.hasLearningRateVariable(spec);
    int base = lrVar ? 2 : 1;
    if (vars == null || vars.getChildren().size() <= base) {
      return null; // never trained: Keras itself skips it
    }
    List<OptimizerState.Slot> order = OptimizerState.kerasOrder(spec, network);
    int have = vars.getChildren().size();
    if (have != base + order.size()) {
      throw r.error(
          "optimizer: the file has "
              + have
              + " variables, "
              + spec
              + " needs "
              + (base + order.size())
              + " for this model");
    }
    long iterations = r.integer(need(r, vars, 0, "iterations"), "optimizer: iterations");
    float lr = (float) spec.learningRateAt(iterations);
    if (lrVar) {
      try (TFloat32 t =
          r.floats(need(r, vars, 1, "learning_rate"), new long[0], "optimizer: learning_rate")) {
        lr = t.getFloat();
      }
    }
    Map<String, Map<String, TFloat32>> slots = new LinkedHashMap<>();
    OptimizerState state = new OptimizerState(spec, iterations, lr, slots);
    try {
      Map<String, long[]> shapes = new HashMap<>();
      network.weights().forEach(w -> shapes.put(w.variableName(), w.spec().shape()));
      int k = base;
      for (OptimizerState.Slot s : order) {
        String what =
            String.format(Locale.ROOT, "optimizer: %s of %s", s.kerasName(), s.variableName());
        TFloat32 t = r.floats(need(r, vars, k++, what), shapes.get(s.variableName()), what);
        slots.computeIfAbsent(s.variableName(), v -> new LinkedHashMap<>()).put(s.kerasName(), t);
      }
    } catch (RuntimeException e) {
      state.close();
      throw e;
    }
    return state;
  }

  private static Dataset need(Hdf5Reader r, Group vars, int i, String what) {
    Dataset d = r.dataset(vars, Integer.toString(i));
    if (d == null) {
      throw r.error("optimizer: no variable " + i + " (" + what + ")");
    }
    return d;
  }

  /** Keras' group name per layer: its class in snake case, made unique in model order. */
  static List<String> layerPaths(Sequential network) {
    Map<String, Integer> used = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (Sequential.BuiltLayer b : network.layers()) {
      String base = snakeCase(b.layer().kerasType());
      Integer n = used.get(base);
      used.put(base, n == null ? 0 : n + 1);
      out.add(n == null ? base : base + "_" + (n + 1));
    }
    return out;
  }

  /** Keras' {@code naming.to_snake_case}: "MaxPooling2D" -> "max_pooling2d". */
  static String snakeCase(String name) {
    String s = name.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
