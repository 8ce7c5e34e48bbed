package org.tfmnist.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.DataFiles;
import org.tfmnist.graph.OptimizerState;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.nn.WeightSpec;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.util.ErrorReason;

/**
 * A legacy HDF5 model file ({@code model.save("x.h5")} of Keras 2, tf.keras or Keras 3): the {@code
 * model_config} and {@code training_config} attributes, the weights under {@code
 * model_weights/<layer>} named by each group's {@code weight_names} ("dense/kernel:0" in Keras 2,
 * "sequential/dense/kernel" in Keras 3), in the layer's order, and the optimizer's variables under
 * {@code optimizer_weights} when Keras 3 wrote them (its {@code optimizer.variables} order).
 */
final class LegacyH5File implements AutoCloseable {

  private final Path file;
  private final HdfFile hdf;
  private final Hdf5Reader r;
  private final String modelConfig;
  private final String trainingConfig;

  private LegacyH5File(Path file, HdfFile hdf) {
    this.file = file;
    this.hdf = hdf;
    this.r = new Hdf5Reader(file);
    this.modelConfig = r.string(hdf, "model_config");
    if (modelConfig == null) {
      throw r.error(
          "no model_config attribute: not a whole Keras model (weights only? Keras' model.save"
              + " writes the model)");
    }
    this.trainingConfig = r.string(hdf, "training_config");
  }

  /** Opens {@code file} and reads its attributes (the weights are read by {@link #weights}). */
  public static LegacyH5File open(Path file) {
    DataFiles.requireRegular(file);
    try {
      if (Files.size(file) > KerasWeightsFile.MAX_BYTES) {
        throw new KerasFileException(
            file, Files.size(file) + " bytes, more than a model file may hold");
      }
      HdfFile hdf = HdfFile.fromBytes(Files.readAllBytes(file));
      try {
        return new LegacyH5File(file, hdf);
      } catch (RuntimeException e) {
        hdf.close();
        throw e;
      }
    } catch (KerasFileException e) {
      throw e;
    } catch (IOException e) {
      throw new KerasFileException(file, "cannot read: " + ErrorReason.of(e), e);
    } catch (RuntimeException e) {
      throw new KerasFileException(file, "not a readable HDF5 file: " + e.getMessage(), e);
    }
  }

  /** The model's config JSON (Keras' {@code model_config}). */
  public String modelConfig() {
    return modelConfig;
  }

  /** The compile() arguments' JSON ({@code training_config}), or null when not compiled. */
  public String trainingConfig() {
    return trainingConfig;
  }

  /** The Keras version that wrote the file, or null. */
  public String kerasVersion() {
    return r.string(hdf, "keras_version");
  }

  /**
   * The weights for {@code network} (built from {@link #modelConfig}), by layer name and position,
   * and the optimizer's state when {@code optimizerOrNull} != null and the file has it in Keras 3's
   * order (a Keras 2 file's optimizer weights are not read: training continues with fresh slots).
   */
  public KerasWeights weights(Sequential network, OptimizerSpec optimizerOrNull) {
    Map<String, TFloat32> out = new LinkedHashMap<>();
    try {
      Group weights = r.group(hdf, "model_weights");
      if (weights == null) {
        throw r.error("no model_weights group: the file holds no weights");
      }
      for (Sequential.BuiltLayer b : network.layers()) {
        String where = "layer '" + b.name() + "'";
        Group g = r.group(weights, b.name());
        String[] names = g == null ? new String[0] : r.strings(g, "weight_names");
        names = names == null ? new String[0] : names;
        if (names.length != b.params().size()) {
          throw r.error(
              where
                  + (g == null ? ": no group model_weights/" + b.name() : "")
                  + ": the file has "
                  + names.length
                  + " weights, the model needs "
                  + b.params().size());
        }
        for (int i = 0; i < names.length; i++) {
          WeightSpec p = b.params().get(i);
          Dataset d = datasetAt(g, names[i]);
          if (d == null) {
            throw r.error(where + ": no dataset " + names[i] + " (" + p.name() + ")");
          }
          out.put(b.variableName(p), r.floats(d, p.shape(), where + ": " + p.name()));
        }
      }
      OptimizerState state = optimizerOrNull == null ? null : optimizer(network, optimizerOrNull);
      return new KerasWeights(WeightSnapshot.of(out), state);
    } catch (RuntimeException e) {
      out.values().forEach(TFloat32::close);
      throw e;
    }
  }

  /** Keras 3's optimizer_weights: [iteration, learning_rate?, slots...]; else null. */
  private OptimizerState optimizer(Sequential network, OptimizerSpec spec) {
    Group g = r.group(hdf, "optimizer_weights");
    String[] names = g == null ? null : r.strings(g, "weight_names");
    boolean lrVar = OptimizerState.hasLearningRateVariable(spec);
    int base = lrVar ? 2 : 1;
    List<OptimizerState.Slot> order = OptimizerState.kerasOrder(spec, network);
    if (names == null
        || names.length != base + order.size()
        || !names[0].endsWith("/iteration")
        || order.isEmpty()) {
      return null;
    }
    long iterations = r.integer(need(g, names[0]), "optimizer: iterations");
    float lr = (float) spec.learningRateAt(iterations);
    if (lrVar) {
      try (TFloat32 t = r.floats(need(g, names[1]), new long[0], "optimizer: learning_rate")) {
        lr = t.getFloat();
      }
    }
    Map<String, long[]> shapes = new LinkedHashMap<>();
    network.weights().forEach(w -> shapes.put(w.variableName(), w.spec().shape()));
    Map<String, Map<String, TFloat32>> slots = new LinkedHashMap<>();
    OptimizerState state = new OptimizerState(spec, iterations, lr, slots);
    try {
      int k = base;
      for (OptimizerState.Slot s : order) {
        String what = "optimizer: " + s.kerasName() + " of " + s.variableName();
        TFloat32 t = r.floats(need(g, names[k++]), shapes.get(s.variableName()), what);
        slots.computeIfAbsent(s.variableName(), v -> new LinkedHashMap<>()).put(s.kerasName(), t);
      }
    } catch (RuntimeException e) {
      state.close();
      throw e;
    }
    return state;
  }

  private Dataset need(Group g, String path) {
    Dataset d = datasetAt(g, path);
    if (d == null) {
      throw r.error("optimizer: no dataset optimizer_weights/" + path);
    }
    return d;
  }

  /** The dataset at {@code path} ("sequential/dense/kernel") under {@code g}, or null. */
  private Dataset datasetAt(Group g, String path) {
    String[] parts = path.split("/");
    List<String> groups = new ArrayList<>(List.of(parts).subList(0, parts.length - 1));
    Group at = g;
    for (String part : groups) {
      at = r.group(at, part);
      if (at == null) {
        return null;
      }
    }
    Node n = at.getChildren().get(parts[parts.length - 1]);
    return n == null ? null : r.dataset(at, parts[parts.length - 1]);
  }

  @Override
  public void close() {
    hdf.close();
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
