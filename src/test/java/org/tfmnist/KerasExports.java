package org.tfmnist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * The Keras {@code model.export()} SavedModels under src/test/resources/keras-export (made by the
 * script beside them), and variants of their signature maps made here, so that no test needs
 * Python: a map Keras never writes but other exporters do.
 */
public final class KerasExports {

  private KerasExports() {}

  /** A fixture directory: {@code both}, {@code serve-only} or {@code custom}. */
  public static Path fixture(String name) {
    try {
      return Path.of(KerasExports.class.getResource("/keras-export/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
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
