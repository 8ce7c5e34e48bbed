package org.tfmnist.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.data.Mnist;
import org.tfmnist.export.ExportException;
import org.tfmnist.export.ModelDirs;
import org.tfmnist.export.Outputs;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.export.SavedModelFiles;
import org.tfmnist.export.SignatureAliases;
import org.tfmnist.util.NativeErrors;

/**
 * A SavedModel loaded for classifying 28x28 digits: ours, or any other (a Keras {@code
 * model.export()}) whose serving signature takes one float32 image batch and returns ten class
 * scores. The input and output names are read from the signature, never assumed.
 */
public final class ServingModel implements AutoCloseable {

  /** Images per session run. */
  public static final int BATCH = 1000;

  private final Path dir;
  private final SavedModelBundle bundle;
  private final String signatureKey;
  private final String inputKey;
  private final String inputTensor;
  private final long[] inputShape;
  private final String outputKey;
  private final List<Outputs.Spec> outputs;
  private final java.util.Set<String> signatureNames;

  private ServingModel(
      Path dir,
      SavedModelBundle bundle,
      String signatureKey,
      String inputKey,
      String inputTensor,
      long[] inputShape,
      String outputKey,
      List<Outputs.Spec> outputs,
      java.util.Set<String> signatureNames) {
    this.dir = dir;
    this.bundle = bundle;
    this.signatureKey = signatureKey;
    this.inputKey = inputKey;
    this.inputTensor = inputTensor;
    this.inputShape = inputShape;
    this.outputKey = outputKey;
    this.outputs = outputs;
    this.signatureNames = signatureNames;
  }

  /**
   * Loads the SavedModel in {@code dir} (a version directory, or a model directory whose highest
   * numbered version is taken).
   */
  public static ServingModel load(Path dir) {
    return load(dir, null);
  }

  /** As {@link #load(Path)}, with TensorFlow's session options (threads), or null. */
  public static ServingModel load(Path dir, ConfigProto config) {
    Path versionDir = ModelDirs.resolveVersion(dir);
    SavedModelFiles.check(versionDir);
    SavedModelBundle bundle;
    try {
      SavedModelBundle.Loader loader =
          SavedModelBundle.loader(versionDir.toString()).withTags(SavedModelExporter.TAG);
      if (config != null) {
        loader = loader.withConfigProto(config);
      }
      bundle = loader.load();
    } catch (TensorFlowException | IllegalArgumentException e) {
      throw new ExportException(
          versionDir + ": cannot load the SavedModel (tag 'serve'): " + NativeErrors.reason(e), e);
    }
    try {
      return fromBundle(versionDir, bundle);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  private static ServingModel fromBundle(Path dir, SavedModelBundle bundle) {
    Map<String, SignatureDef> sigs = bundle.metaGraphDef().getSignatureDefMap();
    String key;
    if (sigs.containsKey(SavedModelExporter.SIGNATURE)) {
      key = SavedModelExporter.SIGNATURE;
    } else {
      // TensorFlow's own entries (__saved_model_init_op) are no model's function
      List<String> predict =
          sigs.keySet().stream().filter(k -> !k.startsWith("__")).sorted().toList();
      if (predict.size() != 1) {
        // TF Serving's words, then what there is to choose from
        throw new ExportException(
            dir
                + ": Serving signature name: \""
                + SavedModelExporter.SIGNATURE
                + "\" not found in signature def, and "
                + (predict.isEmpty()
                    ? "it has no other signature"
                    : "no single other signature to serve instead (it has: "
                        + String.join(", ", predict)
                        + ")"));
      }
      key = predict.get(0);
    }
    SignatureDef sig = sigs.get(key);
    if (sig.getInputsCount() != 1) {
      throw new ExportException(
          dir
              + ": signature '"
              + key
              + "' takes "
              + sig.getInputsCount()
              + " inputs "
              + sig.getInputsMap().keySet()
              + "; a digit classifier takes one image batch");
    }
    Map.Entry<String, TensorInfo> in = sig.getInputsMap().entrySet().iterator().next();
    long[] inShape = dims(in.getValue());
    if (in.getValue().getDtype() != DataType.DT_FLOAT) {
      throw new ExportException(
          dir
              + ": input '"
              + in.getKey()
              + "' is "
              + in.getValue().getDtype()
              + ", expected float32 pixels in [0,1]");
    }
    if (!fitsImage(inShape)) {
      throw new ExportException(
          dir
              + ": input '"
              + in.getKey()
              + "' has shape "
              + java.util.Arrays.toString(inShape)
              + "; expected a batch of 28x28 images ([-1,28,28], [-1,28,28,1] or [-1,784])");
    }
    Map.Entry<String, TensorInfo> out = null;
    for (Map.Entry<String, TensorInfo> o : sig.getOutputsMap().entrySet()) {
      if (o.getKey().equals(SavedModelExporter.PROBABILITIES)) {
        out = o;
        break;
      }
    }
    if (out == null) {
      List<Map.Entry<String, TensorInfo>> tens = new ArrayList<>();
      for (Map.Entry<String, TensorInfo> o : sig.getOutputsMap().entrySet()) {
        long[] d = dims(o.getValue());
        if (o.getValue().getDtype() == DataType.DT_FLOAT && d.length == 2 && d[1] == 10) {
          tens.add(o);
        }
      }
      if (tens.size() != 1) {
        throw new ExportException(
            dir
                + ": signature '"
                + key
                + "' has no single float32 [-1,10] output (outputs: "
                + sig.getOutputsMap().keySet()
                + ")");
      }
      out = tens.get(0);
    }
    long[] outShape = dims(out.getValue());
    if (outShape.length != 2 || outShape[1] != 10) {
      throw new ExportException(
          dir
              + ": output '"
              + out.getKey()
              + "' has shape "
              + java.util.Arrays.toString(outShape)
              + ", expected [-1,10]");
    }
    List<Outputs.Spec> all = new ArrayList<>();
    for (Map.Entry<String, TensorInfo> o :
        new java.util.TreeMap<>(sig.getOutputsMap()).entrySet()) {
      all.add(
          new Outputs.Spec(
              o.getKey(), o.getValue().getName(), o.getValue().getDtype(), dims(o.getValue())));
    }
    return new ServingModel(
        dir,
        bundle,
        key,
        in.getKey(),
        in.getValue().getName(),
        inShape,
        out.getKey(),
        List.copyOf(all),
        SignatureAliases.of(bundle.metaGraphDef().getGraphDef(), sigs, key));
  }

  /** Whether a request naming signature {@code name} is one this model runs. */
  public boolean runs(String name) {
    return signatureNames.contains(name);
  }

  /** Every signature name this model answers to ({@code serving_default}, Keras' {@code serve}). */
  public java.util.Set<String> signatureNames() {
    return signatureNames;
  }

  private static boolean fitsImage(long[] s) {
    if (s.length == 2) {
      return s[1] == Mnist.PIXELS || s[1] == -1;
    }
    if (s.length == 3) {
      return (s[1] == Mnist.SIDE || s[1] == -1) && (s[2] == Mnist.SIDE || s[2] == -1);
    }
    if (s.length == 4) {
      return (s[1] == Mnist.SIDE || s[1] == -1) && (s[2] == Mnist.SIDE || s[2] == -1) && s[3] == 1;
    }
    return false;
  }

  private static long[] dims(TensorInfo info) {
    if (info.getTensorShape().getUnknownRank()) {
      return new long[0];
    }
    return info.getTensorShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
  }

  public Path dir() {
    return dir;
  }

  public String signatureKey() {
    return signatureKey;
  }

  public String inputKey() {
    return inputKey;
  }

  public String outputKey() {
    return outputKey;
  }

  /** The input's shape as the signature declares it (-1 for any size), batch dimension first. */
  public long[] inputShape() {
    return inputShape.clone();
  }

  /** Every output of the signature, sorted by name. */
  public List<Outputs.Spec> outputs() {
    return outputs;
  }

  /** The MetaGraphDef's signatures, as loaded (for TF Serving's metadata route). */
  public Map<String, SignatureDef> signatures() {
    return bundle.metaGraphDef().getSignatureDefMap();
  }

  /**
   * Runs the signature once on {@code count} images (784 floats each, row-major) and returns every
   * output; the session is TensorFlow's and may be run from several threads at once.
   */
  public Outputs run(float[] pixels, int count) {
    if (pixels.length != count * Mnist.PIXELS) {
      throw new IllegalArgumentException(
          count + " images need " + count * Mnist.PIXELS + " floats");
    }
    return run(pixels, count, outputs);
  }

  private Outputs run(float[] pixels, int count, List<Outputs.Spec> fetch) {
    Session.Runner runner = bundle.session().runner();
    try (TFloat32 t = TFloat32.tensorOf(feedShape(count), DataBuffers.of(pixels, true, false))) {
      runner.feed(inputTensor, t);
      for (Outputs.Spec o : fetch) {
        runner.fetch(o.tensorName());
      }
      try (Result r = runner.run()) {
        return Outputs.read(dir, fetch, r, count);
      }
    } catch (TensorFlowException e) {
      throw new ExportException(
          dir + ": running signature '" + signatureKey + "' failed: " + NativeErrors.reason(e), e);
    }
  }

  /**
   * Class probabilities for {@code count} images given as 784 floats each in [0,1] (row-major,
   * white on black), run in batches of {@link #BATCH}.
   */
  public float[][] predict(float[] pixels, int count) {
    if (pixels.length != count * Mnist.PIXELS) {
      throw new IllegalArgumentException(
          count + " images need " + count * Mnist.PIXELS + " floats");
    }
    Outputs.Spec probabilities =
        outputs.stream().filter(o -> o.key().equals(outputKey)).findFirst().orElseThrow();
    float[][] out = new float[count][];
    for (int start = 0; start < count; start += BATCH) {
      int n = Math.min(BATCH, count - start);
      float[] chunk = new float[n * Mnist.PIXELS];
      System.arraycopy(pixels, start * Mnist.PIXELS, chunk, 0, chunk.length);
      Outputs o = run(chunk, n, List.of(probabilities));
      if (!java.util.Arrays.equals(o.rowShape(0), new long[] {10})) {
        throw new ExportException(
            dir
                + ": output '"
                + outputKey
                + "' gave rows of shape "
                + java.util.Arrays.toString(o.rowShape(0))
                + ", expected [10]");
      }
      for (int i = 0; i < n; i++) {
        out[start + i] = o.floatRow(outputKey, i);
      }
    }
    return out;
  }

  /** Class probabilities for every image of {@code images} (28x28, scaled by 1/255). */
  public float[][] predict(LabeledImages images) {
    return predict(images.floats(), images.count());
  }

  private Shape feedShape(int n) {
    return switch (inputShape.length) {
      case 2 -> Shape.of(n, Mnist.PIXELS);
      case 4 -> Shape.of(n, Mnist.SIDE, Mnist.SIDE, 1);
      default -> Shape.of(n, Mnist.SIDE, Mnist.SIDE);
    };
  }

  /** The index of the largest probability. */
  public static int argmax(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public void close() {
    bundle.close();
  }
}
