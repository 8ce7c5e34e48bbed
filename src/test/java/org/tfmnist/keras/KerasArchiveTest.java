package org.tfmnist.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfmnist.nn.Activation.RELU;
import static org.tfmnist.nn.Activation.SOFTMAX;
import static org.tfmnist.nn.Sequential.input;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;
import org.tfmnist.graph.OptimizerState;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;

/** The .keras zip and the legacy .h5: Keras' own files read, ours written, bad ones refused. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KerasArchiveTest {

  @TempDir Path tmp;

  static final Path DIR = Path.of("src/test/resources/keras");

  /** The fixtures' network: Input(4) -> Dense(3, relu) -> Dense(2, softmax). */
  static Sequential tiny() {
    return Sequential.of("sequential", input(4), new Dense(3, RELU), new Dense(2, SOFTMAX));
  }

  @SuppressWarnings("unchecked")
  static List<List<Number>> expected(String key) throws IOException {
    Map<String, Object> m = JSON.std.mapFrom(Files.readString(DIR.resolve("tiny_expected.json")));
    return (List<List<Number>>) m.get(key);
  }

  /** Every weight, then every optimizer variable, as Keras listed them. */
  static void assertAsKerasHoldsThem(Sequential model, KerasWeights w) throws IOException {
    List<List<Number>> weights = expected("weights");
    int i = 0;
    for (Sequential.WeightVariable sw : model.weights()) {
      assertClose(weights.get(i++), w.weights().get(sw.variableName()), sw.variableName());
    }
    List<List<Number>> opt = expected("optimizer");
    OptimizerState s = w.optimizer();
    assertNotNull(s);
    assertEquals(opt.get(0).get(0).longValue(), s.iterations());
    assertEquals(opt.get(1).get(0).floatValue(), s.learningRate());
    int k = 2;
    for (OptimizerState.Slot slot : OptimizerState.kerasOrder(s.optimizer(), model)) {
      assertClose(opt.get(k++), s.slot(slot), slot.toString());
    }
    assertEquals(opt.size(), k);
  }

  static void assertClose(List<Number> want, TFloat32 got, String what) {
    float[] a = KerasWeightsFileTest.flat(got);
    assertEquals(want.size(), a.length, what);
    for (int i = 0; i < a.length; i++) {
      assertEquals(want.get(i).floatValue(), a[i], what + "[" + i + "]");
    }
  }

  @Test
  void readsAKerasSavedDotKeras() throws Exception {
    Path file = DIR.resolve("tiny.keras");
    KerasArchive.Contents c = KerasArchive.read(file);
    assertTrue(c.configJson().contains("\"class_name\": \"Sequential\""), c.configJson());
    assertTrue(c.metadataJson().contains("\"keras_version\": \"3.15.1\""), c.metadataJson());
    try (KerasWeights w =
        KerasWeightsFile.read(c.weightsH5(), file, tiny(), OptimizerSpec.adam())) {
      assertAsKerasHoldsThem(tiny(), w);
    }
  }

  @Test
  void readsAKerasSavedLegacyH5() throws Exception {
    try (LegacyH5File h5 = LegacyH5File.open(DIR.resolve("tiny.h5"))) {
      assertTrue(h5.modelConfig().contains("\"class_name\": \"Sequential\""), h5.modelConfig());
      assertTrue(h5.trainingConfig().contains("categorical_crossentropy"), h5.trainingConfig());
      assertEquals("3.15.1", h5.kerasVersion());
      try (KerasWeights w = h5.weights(tiny(), OptimizerSpec.adam())) {
        assertAsKerasHoldsThem(tiny(), w);
      }
    }
  }

  @Test
  void writesTheZipAsKerasDoes() throws Exception {
    Path file = tmp.resolve("tiny.keras");
    byte[] weights = KerasArchive.read(DIR.resolve("tiny.keras")).weightsH5();
    String config = Files.readString(DIR.resolve("mlp_config.json"));
    KerasArchive.write(file, config, weights);
    try (ZipFile z = new ZipFile(file.toFile())) {
      List<String> names = new ArrayList<>();
      for (ZipEntry e : Collections.list(z.entries())) {
        names.add(e.getName());
        assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
      }
      assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"), names);
    }
    KerasArchive.Contents c = KerasArchive.read(file);
    assertEquals(config, c.configJson());
    assertArrayEquals(weights, c.weightsH5());
    assertTrue(
        c.metadataJson()
            .matches("\\{\"keras_version\": \"3.15.1\", \"date_saved\": \"[-0-9@:]+\"}"),
        c.metadataJson());
    try (var dir = Files.list(tmp)) {
      assertEquals(1, dir.count(), "no temporary file left");
    }
  }

  private Path zip(String name, Map<String, byte[]> members, int method) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      z.setMethod(method);
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        z.putNextEntry(new ZipEntry(m.getKey()));
        z.write(m.getValue());
        z.closeEntry();
      }
    }
    Path p = tmp.resolve(name);
    Files.write(p, b.toByteArray());
    return p;
  }

  private static String oneLine(Path file) {
    KerasFileException e = assertThrows(KerasFileException.class, () -> KerasArchive.read(file));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    return e.getMessage().substring(file.toString().length() + 2);
  }

  @Test
  void badArchivesAreOneLineEach() throws Exception {
    byte[] good = Files.readAllBytes(DIR.resolve("tiny.keras"));
    Path cut = tmp.resolve("cut.keras");
    Files.write(cut, Arrays.copyOf(good, good.length - 100));
    assertTrue(oneLine(cut).startsWith("not a .keras file: not a whole zip archive"));

    byte[] json = "{}".getBytes();
    Path noWeights =
        zip(
            "nw.keras",
            Map.of("metadata.json", json, "config.json", json),
            ZipOutputStream.DEFLATED);
    assertEquals("no model.weights.h5 in the archive", oneLine(noWeights));

    Path noConfig = zip("nc.keras", Map.of("model.weights.h5", json), ZipOutputStream.DEFLATED);
    assertEquals("no config.json in the archive: not a Keras 3 model", oneLine(noConfig));

    // 64 MiB of zeros deflate to some 64 KB: a bomb by Keras' own rule (more than 100 times)
    Path bomb =
        zip(
            "bomb.keras",
            Map.of("config.json", json, "model.weights.h5", new byte[64 << 20]),
            ZipOutputStream.DEFLATED);
    assertTrue(
        oneLine(bomb).startsWith("model.weights.h5 declares 67108864 bytes but stores only"));
    assertFalse(oneLine(bomb).isEmpty());
  }

  @Test
  void anH5WithoutModelConfigIsOneLine() throws Exception {
    // a weights-only file (ours): no model_config attribute
    byte[] weights = KerasArchive.read(DIR.resolve("tiny.keras")).weightsH5();
    Path h5 = tmp.resolve("weights-only.h5");
    Files.write(h5, weights);
    KerasFileException e = assertThrows(KerasFileException.class, () -> LegacyH5File.open(h5));
    assertEquals(
        h5
            + ": no model_config attribute: not a whole Keras model (weights only? Keras'"
            + " model.save writes the model)",
        e.getMessage());
  }
}
