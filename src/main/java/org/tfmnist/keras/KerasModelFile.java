package org.tfmnist.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.DataFiles;
import org.tfmnist.graph.OptimizerState;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.util.ErrorReason;

/**
 * A whole Keras model file, as {@code keras.saving.load_model} and {@code model.save} see it: read
 * from a Keras 3 {@code .keras} zip or a Keras 2 / {@code tf.keras} HDF5 {@code .h5} file (told
 * apart by their first bytes, whatever the name), written as {@code .keras}.
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class KerasModelFile {

  /**
   * What a Keras file holds: the model's definition, its weights and the optimizer's state, and the
   * definition as Keras 3's {@code config.json} (what a checkpoint records).
   */
  public record Loaded(KerasModelConfig config, KerasWeights weights, String configJson)
      implements AutoCloseable {

    /** The network, with the file's layer names. */
    public Sequential network() {
      return config.network();
    }

    @Override
    public void close() {
      weights.close();
    }
  }

  private static final byte[] ZIP = {'P', 'K', 3, 4};
  private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private KerasModelFile() {}

  /**
   * Reads {@code file}: its definition, then its weights for that network and, when it was compiled
   * and trained, the optimizer's state. Anything this library cannot build is one {@link
   * KerasFileException} naming it and its place in the model, before any weight is read.
   */
  public static Loaded read(Path file) {
    DataFiles.requireRegular(file);
    byte[] head = head(file);
    if (startsWith(head, ZIP)) {
      KerasArchive.Contents c = KerasArchive.read(file);
      KerasModelConfig config = KerasConfig.fromJson(file, c.configJson());
      KerasWeights w =
          KerasWeightsFile.read(c.weightsH5(), file, config.network(), optimizer(config));
      return new Loaded(config, w, c.configJson());
    }
    if (startsWith(head, HDF5)) {
      try (LegacyH5File h5 = LegacyH5File.open(file)) {
        KerasModelConfig config =
            KerasConfig.fromLegacy(file, h5.modelConfig(), h5.trainingConfig());
        KerasWeights w = h5.weights(config.network(), optimizer(config));
        return new Loaded(config, w, toJson(config));
      }
    }
    throw new KerasFileException(
        file, "not a Keras model file (neither a .keras zip nor an HDF5 .h5 file)");
  }

  /**
   * Writes {@code file} as Keras 3's {@code .keras}: the network's {@code config.json} (with its
   * {@code compile_config} when {@code optimizer} is not null), and the weights with, when {@code
   * state} is not null, the optimizer's variables, so that Keras' {@code fit} continues from them.
   */
  public static void write(
      Path file,
      Sequential network,
      OptimizerSpec optimizer,
      Loss loss,
      Map<String, TFloat32> weights,
      OptimizerState state) {
    String config = KerasConfig.toJson(network, optimizer, loss);
    KerasArchive.write(file, config, KerasWeightsFile.bytes(file, network, weights, state));
  }

  /** The Keras 3 {@code config.json} of a read model (for a legacy file, written anew). */
  private static String toJson(KerasModelConfig config) {
    KerasModelConfig.Compiled c = config.compiled();
    return KerasConfig.toJson(
        config.network(), c == null ? null : c.optimizer(), c == null ? null : c.loss());
  }

  private static OptimizerSpec optimizer(KerasModelConfig config) {
    return config.compiled() == null ? null : config.compiled().optimizer();
  }

  private static byte[] head(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(8);
    } catch (IOException e) {
      throw new KerasFileException(file, "cannot read: " + ErrorReason.of(e), e);
    }
  }

  private static boolean startsWith(byte[] head, byte[] magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (head[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
