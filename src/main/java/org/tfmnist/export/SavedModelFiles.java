package org.tfmnist.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tfmnist.util.TensorBundle;

/**
 * Checks a SavedModel's files before TensorFlow loads it, so that a broken copy is one line naming
 * the file and the fault: TensorFlow loads a model whose {@code variables/} is gone without a word
 * and fails only when it first runs, blaming an "uninitialized" variable.
 */
public final class SavedModelFiles {

  /** The ops that hold a variable: a graph with one of them needs its variables/ files. */
  private static final Set<String> VARIABLE_OPS = Set.of("VarHandleOp", "VariableV2", "Variable");

  private SavedModelFiles() {}

  /** Throws an {@link ExportException} saying what is wrong with {@code versionDir}'s files. */
  public static void check(Path versionDir) {
    Path pb = versionDir.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      throw new ExportException(versionDir + ": not a SavedModel (no saved_model.pb)");
    }
    SavedModel model;
    try (InputStream in = Files.newInputStream(pb)) {
      model = SavedModel.parseFrom(in);
    } catch (IOException e) {
      throw new ExportException(
          versionDir + ": not a SavedModel (" + pb + " cannot be read as one)", e);
    }
    if (!model.getMetaGraphsList().stream().anyMatch(SavedModelFiles::holdsVariables)) {
      return;
    }
    TensorBundle.problem(versionDir.resolve("variables").resolve("variables"))
        .ifPresent(
            problem -> {
              throw new ExportException(versionDir + ": " + problem);
            });
  }

  private static boolean holdsVariables(MetaGraphDef meta) {
    if (meta.getGraphDef().getNodeList().stream().anyMatch(SavedModelFiles::isVariable)) {
      return true;
    }
    for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
      if (f.getNodeDefList().stream().anyMatch(SavedModelFiles::isVariable)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isVariable(NodeDef n) {
    return VARIABLE_OPS.contains(n.getOp());
  }
}
