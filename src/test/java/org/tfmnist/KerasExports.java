package org.tfmnist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * The Keras {@code model.export()} SavedModels python/make_keras_exports.py makes (in {@code make
 * python-check}), and variants of their signature maps made here: maps Keras never writes but other
 * exporters do.
 */
public final class KerasExports {

  private KerasExports() {}

  /** The system property naming the directory python/make_keras_exports.py wrote. */
  public static final String PROPERTY = "tfmnist.kerasExports";

  /**
   * Skips the calling test unless {@code make python-check} runs it: the SavedModels come from
   * Keras itself, made there, and no model file is committed.
   */
  public static void assumeMade() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getProperty(PROPERTY) != null,
        "run by make python-check (-D" + PROPERTY + "=DIR from python/make_keras_exports.py)");
  }

  /** A fixture directory: {@code both}, {@code serve-only} or {@code custom}. */
  public static Path fixture(String name) {
    return Path.of(System.getProperty(PROPERTY)).resolve(name);
  }

  /**
   * Copies fixture {@code name} to {@code target} with its signature map changed by {@code edit}.
   */
  public static Path edited(String name, Path target, Consumer<MetaGraphDef.Builder> edit) {
    TestModels.copy(fixture(name), target);
    Path pb = target.resolve("saved_model.pb");
    try {
      SavedModel.Builder sm = SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
      edit.accept(sm.getMetaGraphsBuilder(0));
      Files.write(pb, sm.build().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /**
   * Adds signature {@code name}: {@code from}'s inputs, its one output taken from its input
   * placeholder instead, so a signature that computes something else than the model.
   */
  public static Consumer<MetaGraphDef.Builder> addPixelsSignature(String name, String from) {
    return mg -> {
      SignatureDef src = mg.getSignatureDefOrThrow(from);
      TensorInfo in = src.getInputsMap().values().iterator().next();
      String out = src.getOutputsMap().keySet().iterator().next();
      mg.putSignatureDef(name, src.toBuilder().putOutputs(out, in).build());
    };
  }
}
