package org.tfmnist.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.presets.Presets;

/**
 * Each optimizer's first {@link #STEPS} steps in the real training graph (the mlp preset's model,
 * categorical cross-entropy), recorded for Keras to replay: the images and labels, and the weights
 * before and after, as .npy files, with {@code trace.json} naming the optimizer's Keras config.
 * Each step is one batch of all {@link #IMAGES} images, so the batches are the same for any
 * shuffle. {@code python/interop_check.py optimizers --dir DIR} runs the same steps in Keras from
 * the same weights and compares (make python-check does both, giving the directory as the system
 * property {@value #DIR_PROPERTY}); without the property the trace goes to a temporary directory
 * and only the Java side is checked here.
 */
class OptimizerTraceTest {

  static final String DIR_PROPERTY = "tfmnist.optimizerTrace";
  static final int STEPS = 5;
  static final int IMAGES = 256;

  @TempDir Path tmp;

  /** Every optimizer kind, with the settings the presets and the CLI can give it. */
  static Map<String, OptimizerSpec> cases() {
    Map<String, OptimizerSpec> m = new LinkedHashMap<>();
    m.put("sgd", OptimizerSpec.sgd());
    m.put("sgd-momentum", OptimizerSpec.sgd().withMomentum(0.9));
    m.put("sgd-nesterov", OptimizerSpec.sgd().withMomentum(0.9).withNesterov(true));
    m.put("rmsprop", OptimizerSpec.rmsprop());
    m.put("rmsprop-momentum", OptimizerSpec.rmsprop().withMomentum(0.9));
    m.put("adam", OptimizerSpec.adam());
    m.put("adadelta", OptimizerSpec.adadelta());
    m.put("adadelta-lr1", OptimizerSpec.adadelta().withLearningRate(1.0));
    return m;
  }

  @Test
  void tracesEveryOptimizerForKeras() throws IOException {
    String property = System.getProperty(DIR_PROPERTY);
    Path dir = property == null || property.isBlank() ? tmp : Path.of(property);
    Files.createDirectories(dir);
    Sequential model = Presets.mlp().model();
    LabeledImages data = TestData.train().first(IMAGES);
    npy(
        dir.resolve("images.npy"),
        "|u1",
        new long[] {IMAGES, data.rows(), data.cols()},
        data.pixels());
    npy(dir.resolve("labels.npy"), "|u1", new long[] {IMAGES}, data.labels());

    List<Object> traced = new ArrayList<>();
    for (Map.Entry<String, OptimizerSpec> c : cases().entrySet()) {
      TrainingGraph.Spec spec =
          new TrainingGraph.Spec(
              model,
              Loss.CATEGORICAL_CROSSENTROPY,
              c.getValue(),
              IMAGES,
              5,
              TrainingGraph.DEFAULT_EVAL_CHUNK,
              DTypePolicy.FLOAT32);
      Path caseDir = dir.resolve(c.getKey());
      List<Object> variables = new ArrayList<>();
      try (TrainingGraph g = new TrainingGraph(spec, data, Map.of(), null)) {
        assertEquals(1, g.stepsPerEpoch(), "one batch of every image per step");
        WeightSnapshot before = g.weightValues();
        Map<String, byte[]> initial = new LinkedHashMap<>();
        try {
          for (Map.Entry<String, TFloat32> w : before.asMap().entrySet()) {
            initial.put(w.getKey(), write(caseDir.resolve("initial"), w.getKey(), w.getValue()));
            variables.add(Map.of("name", w.getKey(), "shape", w.getValue().shape().asArray()));
          }
        } finally {
          before.close();
        }
        for (int s = 0; s < STEPS; s++) {
          g.startEpoch(s);
          g.step();
        }
        assertEquals(STEPS, g.globalStep());
        WeightSnapshot after = g.weightValues();
        try {
          for (Map.Entry<String, TFloat32> w : after.asMap().entrySet()) {
            byte[] last = write(caseDir.resolve("final"), w.getKey(), w.getValue());
            assertFalse(
                Arrays.equals(initial.get(w.getKey()), last),
                c.getKey() + ": " + w.getKey() + " moved");
            FloatArray f = new FloatArray(last);
            for (int i = 0; i < f.size(); i++) {
              assertTrue(Float.isFinite(f.get(i)), c.getKey() + ": " + w.getKey() + " finite");
            }
          }
        } finally {
          after.close();
        }
      }
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("name", c.getKey());
      t.put("optimizer", c.getValue().config());
      t.put("variables", variables);
      traced.add(t);
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("model", "mlp");
    manifest.put("layers", model.describe());
    manifest.put("loss", Loss.CATEGORICAL_CROSSENTROPY.kerasName());
    manifest.put("steps", STEPS);
    manifest.put("images", IMAGES);
    manifest.put("normalise", "x * float32(1/255)");
    manifest.put("cases", traced);
    Files.writeString(
        dir.resolve("trace.json"),
        JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(manifest) + "\n");
  }

  /** Writes a weight as {@code dir/name.npy} and returns its bytes. */
  private static byte[] write(Path dir, String name, TFloat32 t) throws IOException {
    byte[] bytes = new byte[(int) t.numBytes()];
    t.asRawTensor().data().read(bytes);
    String order = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "<" : ">";
    npy(dir.resolve(name + ".npy"), order + "f4", t.shape().asArray(), bytes);
    return bytes;
  }

  /** A NumPy .npy file (format 1.0, C order) of raw element bytes. */
  static void npy(Path file, String descr, long[] shape, byte[] data) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText =
        shape.length == 1
            ? "(" + shape[0] + ",)"
            : "(" + dims.substring(0, dims.length() - 2) + ")";
    String dict =
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 1)
        .put((byte) 0)
        .putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII))
        .put(data);
    Files.createDirectories(file.getParent());
    Files.write(file, b.array());
  }

  /** Native-order float32 elements of a raw tensor buffer. */
  private record FloatArray(byte[] bytes) {
    int size() {
      return bytes.length / 4;
    }

    float get(int i) {
      return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getFloat(4 * i);
    }
  }
}
