package org.tfmnist.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.VariableDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;
import org.tfmnist.nn.Context;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.Shapes;
import org.tfmnist.util.AtomicDir;
import org.tfmnist.util.ErrorReason;

/**
 * Writes a model's inference graph and weights as a SavedModel that TensorFlow Serving, Python
 * ({@code tf.saved_model.load}, Keras' {@code TFSMLayer}) and Java all load.
 *
 * <p>The graph holds the forward pass only: no optimizer slots, no data, no dropout, no random ops.
 * Weights are resource variables ({@code VarHandleOp}) listed in the {@code variables} and {@code
 * trainable_variables} collections, with save/restore ops named as TensorFlow's own Saver names
 * them; that is what lets Python see {@code m.variables} and re-save the model (TF Java's stock
 * exporter writes reference variables and no collections, which Python can call but not re-save).
 *
 * <p>Signature {@code serving_default} ({@value #METHOD}):
 *
 * <ul>
 *   <li>input {@value #INPUT}: float32 [-1, 28, 28], pixels in [0, 1], white digit on black;
 *   <li>output {@value #PROBABILITIES}: float32 [-1, 10], softmax probabilities;
 *   <li>output {@value #CLASS}: int64 [-1], the most probable digit.
 * </ul>
 *
 * <p>Everything is written into a temporary directory beside the target, which is renamed into
 * place only when complete.
 */
public final class SavedModelExporter {

  /** The signature's key, TF Serving's default. */
  public static final String SIGNATURE = "serving_default";

  /** The signature's method name, TF Serving's predict API. */
  public static final String METHOD = "tensorflow/serving/predict";

  /** The tag of the one meta graph, as {@code tf.saved_model.SERVING}. */
  public static final String TAG = "serve";

  /** The signature's input key. */
  public static final String INPUT = "image";

  /** The signature's output key of the probabilities. */
  public static final String PROBABILITIES = "probabilities";

  /** The signature's output key of the most probable digit. */
  public static final String CLASS = "class";

  private SavedModelExporter() {}

  /**
   * Exports {@code model} with {@code weights} (by variable name) into {@code versionDir}, which
   * must not exist yet, and returns it; {@code extraFiles} are written under {@code assets.extra/}.
   */
  public static Path export(
      Sequential model,
      Map<String, ? extends Tensor> weights,
      Path versionDir,
      Map<String, String> extraFiles) {
    try {
      AtomicDir.write(
          versionDir,
          false,
          dir -> {
            writeSavedModel(model, weights, dir);
            if (!extraFiles.isEmpty()) {
              Path extra = Files.createDirectories(dir.resolve("assets.extra"));
              for (Map.Entry<String, String> e : extraFiles.entrySet()) {
                Files.writeString(extra.resolve(e.getKey()), e.getValue());
              }
            }
          });
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new ExportException(versionDir + ": already exists; a version is never overwritten");
    } catch (IOException | org.tensorflow.exceptions.TensorFlowException e) {
      throw new ExportException(
          versionDir
              + ": cannot write the SavedModel: "
              + ErrorReason.of(e)
              + " (nothing half-written is left)",
          e);
    }
    return versionDir;
  }

  /**
   * Exports as version {@code version} of {@code modelDir}, or, with {@code version} 0, as its next
   * free version; returns the version directory.
   */
  public static Path exportVersion(
      Sequential model,
      Map<String, ? extends Tensor> weights,
      Path modelDir,
      long version,
      Map<String, String> extraFiles) {
    if (version > 0) {
      Path target = modelDir.resolve(Long.toString(version));
      export(model, weights, target, extraFiles);
      return target;
    }
    return exportNextVersion(model, weights, modelDir, extraFiles);
  }

  /**
   * Exports into {@code modelDir}'s next free version (one more than the highest) and returns that
   * version's directory. The version is taken by the rename into place: another process exporting
   * under the same name at the same moment makes this one take the version after.
   */
  public static Path exportNextVersion(
      Sequential model,
      Map<String, ? extends Tensor> weights,
      Path modelDir,
      Map<String, String> extraFiles) {
    for (int attempt = 0; ; attempt++) {
      Path target = modelDir.resolve(Long.toString(ModelDirs.nextVersion(modelDir)));
      try {
        export(model, weights, target, extraFiles);
        return target;
      } catch (ExportException e) {
        if (attempt >= 20 || !Files.exists(target)) {
          throw e;
        }
      }
    }
  }

  /** One variable of the serving graph and the names Python's loader looks up. */
  private record Var(
      String name,
      VarHandleOp handle,
      Operand<TFloat32> initialValue,
      Op assign,
      Operand<TFloat32> read,
      long[] shape,
      boolean trainable) {}

  private static void writeSavedModel(
      Sequential model, Map<String, ? extends Tensor> weights, Path dir) throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Var> vars = new ArrayList<>();
      Map<String, Operand<TFloat32>> reads = new LinkedHashMap<>();
      for (Sequential.WeightVariable w : model.weights()) {
        String n = w.variableName();
        long[] shape = w.spec().shape();
        // the handle first, so that it takes the name itself (Python reads "dense_kernel:0")
        VarHandleOp handle =
            tf.withName(n).varHandleOp(TFloat32.class, Shape.of(shape), VarHandleOp.sharedName(n));
        Ops v = tf.withSubScope(n);
        Operand<TFloat32> init =
            v.withSubScope("Initializer")
                .withName("zeros")
                .zeros(v.constant(shape), TFloat32.class);
        Op assign = v.withName("Assign").assignVariableOp(handle, init);
        Operand<TFloat32> read =
            v.withSubScope("Read")
                .withName("ReadVariableOp")
                .readVariableOp(handle, TFloat32.class);
        vars.add(new Var(n, handle, init, assign, read, shape, w.spec().trainable()));
        reads.put(n, read);
      }
      Placeholder<TFloat32> image =
          tf.withName(INPUT)
              .placeholder(
                  TFloat32.class,
                  Placeholder.shape(Shape.of(Shapes.withBatch(model.inputShape()))));
      Sequential.Forward f = model.forward(tf, image, reads, Context.inference());
      Operand<TFloat32> probs = tf.withName(PROBABILITIES).identity(f.output());
      Operand<TInt64> cls = tf.withName(CLASS).math.argMax(probs, tf.constant(1), TInt64.class);

      SaverDef saverDef = addSaver(tf.withSubScope("save"), vars);
      GraphDef graphDef = g.toGraphDef();

      // Ops below fill the variables for this export only; the GraphDef above does not hold them.
      Ops feedOps = tf.withSubScope("export_feed");
      List<Op> assigns = new ArrayList<>();
      List<Placeholder<TFloat32>> feeds = new ArrayList<>();
      for (Var v : vars) {
        Placeholder<TFloat32> p =
            feedOps.placeholder(TFloat32.class, Placeholder.shape(Shape.of(v.shape())));
        feeds.add(p);
        assigns.add(feedOps.assignVariableOp(v.handle(), p));
      }
      try (Session s = new Session(g)) {
        Session.Runner r = s.runner();
        for (int i = 0; i < vars.size(); i++) {
          Tensor value = weights.get(vars.get(i).name());
          if (value == null) {
            throw new ExportException("no value for weight " + vars.get(i).name());
          }
          r.feed(feeds.get(i), value);
          r.addTarget(assigns.get(i));
        }
        r.run();
        Path varDir = Files.createDirectories(dir.resolve("variables"));
        try (TString prefix = TString.scalarOf(varDir.resolve("variables").toString())) {
          s.runner()
              .feed(saverDef.getFilenameTensorName(), prefix)
              .addTarget(saverDef.getSaveTensorName().replace(":0", ""))
              .run();
        }
      }

      MetaGraphDef.Builder meta =
          MetaGraphDef.newBuilder()
              .setMetaInfoDef(
                  MetaGraphDef.MetaInfoDef.newBuilder()
                      .addTags(TAG)
                      .setTensorflowVersion(TensorFlow.version())
                      .setTensorflowGitVersion("tf-mnist (TensorFlow Java)"))
              .setGraphDef(graphDef)
              .setSaverDef(saverDef)
              .putSignatureDef(
                  SIGNATURE,
                  SignatureDef.newBuilder()
                      .setMethodName(METHOD)
                      .putInputs(
                          INPUT,
                          info(
                              image.op().name(),
                              DataType.DT_FLOAT,
                              Shapes.withBatch(model.inputShape())))
                      .putOutputs(
                          PROBABILITIES,
                          info(
                              probs.op().name(),
                              DataType.DT_FLOAT,
                              Shapes.withBatch(model.outputShape())))
                      .putOutputs(CLASS, info(cls.op().name(), DataType.DT_INT64, new long[] {-1}))
                      .build());
      // every variable, and the trained ones (a batch norm's moving statistics are not)
      CollectionDef.BytesList.Builder all = CollectionDef.BytesList.newBuilder();
      CollectionDef.BytesList.Builder trained = CollectionDef.BytesList.newBuilder();
      for (Var v : vars) {
        com.google.protobuf.ByteString def =
            VariableDef.newBuilder()
                .setVariableName(v.handle().op().name() + ":0")
                .setInitialValueName(v.initialValue().asOutput().op().name() + ":0")
                .setInitializerName(v.assign().op().name())
                .setSnapshotName(v.read().op().name() + ":0")
                .setIsResource(true)
                .setTrainable(v.trainable())
                .build()
                .toByteString();
        all.addValue(def);
        if (v.trainable()) {
          trained.addValue(def);
        }
      }
      meta.putCollectionDef("variables", CollectionDef.newBuilder().setBytesList(all).build());
      meta.putCollectionDef(
          "trainable_variables", CollectionDef.newBuilder().setBytesList(trained).build());
      SavedModel savedModel =
          SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build();
      try (OutputStream out = Files.newOutputStream(dir.resolve("saved_model.pb"))) {
        savedModel.writeTo(out);
      }
    }
  }

  /**
   * Save and restore ops as TensorFlow's Saver (V2) names them: filename "save/Const:0", save
   * "save/control_dependency:0", restore "save/restore_all".
   */
  private static SaverDef addSaver(Ops save, List<Var> vars) {
    Operand<TString> filename =
        save.withName("Const")
            .placeholderWithDefault(
                save.withSubScope("filename").withName("input").constant("model"), Shape.scalar());
    String[] names = vars.stream().map(Var::name).toArray(String[]::new);
    Operand<TString> tensorNames =
        save.withSubScope("SaveV2").withName("tensor_names").constant(StdArrays.ndCopyOf(names));
    String[] whole = new String[names.length];
    java.util.Arrays.fill(whole, "");
    Operand<TString> slices =
        save.withSubScope("SaveV2")
            .withName("shape_and_slices")
            .constant(StdArrays.ndCopyOf(whole));
    List<Operand<?>> values = new ArrayList<>();
    for (Var v : vars) {
      values.add(v.read());
    }
    Op saveOp = save.withName("SaveV2").train.save(filename, tensorNames, slices, values);
    Operand<TString> saveTensor =
        save.withControlDependencies(List.of(saveOp))
            .withName("control_dependency")
            .identity(filename);

    Operand<TString> rNames =
        save.withSubScope("RestoreV2").withName("tensor_names").constant(StdArrays.ndCopyOf(names));
    Operand<TString> rSlices =
        save.withSubScope("RestoreV2")
            .withName("shape_and_slices")
            .constant(StdArrays.ndCopyOf(whole));
    List<Class<? extends TType>> types = new ArrayList<>();
    vars.forEach(v -> types.add(TFloat32.class));
    var restore = save.withName("RestoreV2").train.restore(filename, rNames, rSlices, types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> t = (Operand<TFloat32>) restore.tensors().get(i);
      assigns.add(
          save.withName("AssignVariableOp" + (i == 0 ? "" : "_" + i))
              .assignVariableOp(
                  vars.get(i).handle(),
                  save.withName("Identity" + (i == 0 ? "" : "_" + i)).identity(t)));
    }
    Op restoreAll = save.withControlDependencies(assigns).withName("restore_all").noOp();
    return SaverDef.newBuilder()
        .setFilenameTensorName(filename.asOutput().op().name() + ":0")
        .setSaveTensorName(saveTensor.asOutput().op().name() + ":0")
        .setRestoreOpName(restoreAll.op().name())
        .setMaxToKeep(5)
        .setKeepCheckpointEveryNHours(10000f)
        .setVersion(SaverDef.CheckpointFormatVersion.V2)
        .build();
  }

  private static TensorInfo info(String opName, DataType type, long[] dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return TensorInfo.newBuilder()
        .setName(opName + ":0")
        .setDtype(type)
        .setTensorShape(shape)
        .build();
  }
}
