package org.tfmnist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of an interleaved bench (Java, Keras, Java, Keras): each side's median epoch after
 * each run's first, pooled, with its spread; inference's best and median; the ratio of each pair of
 * neighbours in the order they ran; the CPU. The figures are chosen so each can be worked by hand.
 */
@Timeout(30)
class BenchReportTest {

  @TempDir Path tmp;

  static final String CPU =
      "{\"model\": \"AMD EPYC 9R45\", \"AVX2\": true, \"AVX-512F\": true, \"AVX512_BF16\": true,"
          + " \"AMX\": false}";

  static String run(String side, double started, String epochs, String inference, String extra) {
    return """
        {"side": "%s", "preset": "cnn", "runtime": "r-%s", "batch_size": 128, "train_images": 60000,
         "epoch_seconds": %s, "test_accuracy": 0.99, "inference_seconds": %s,
         "inference_images": 10000, "inference_batch": 1000, "peak_rss_bytes": 1000000000%s%s}
        """
        .formatted(
            side,
            side,
            epochs,
            inference,
            Double.isNaN(started) ? "" : ", \"started_unix\": " + started,
            extra);
  }

  List<Path> files = new ArrayList<>();

  @BeforeEach
  void interleavedRuns() throws IOException {
    // written out of order: the report orders them by when they started
    files.add(write("k2", run("keras", 400, "[40.0, 40.0, 30.0]", "[2.0, 2.0, 2.0]", "")));
    files.add(
        write(
            "j1",
            run(
                "java",
                100,
                "[30.0, 20.0, 22.0]",
                "[1.0, 0.5, 0.8]",
                ", \"cpu\": " + CPU + ", \"floor\": {\"epoch_seconds\": 10.0}")));
    files.add(write("j2", run("java", 300, "[28.0, 24.0, 26.0]", "[0.5, 0.5, 0.5]", "")));
    files.add(write("k1", run("keras", 200, "[50.0, 25.0, 35.0]", "[1.0, 1.0, 1.0]", "")));
  }

  Path write(String name, String text) throws IOException {
    return Files.writeString(tmp.resolve(name + ".json"), text);
  }

  /** The epoch line of the four runs of {@link #interleavedRuns}, worked out below. */
  static final String JAVA_AGAINST_KERAS_EPOCHS =
      "cnn: Java / Keras median epoch 0.71 (Java faster); Java then Keras 0.70, 0.71;"
          + " Keras then Java 0.83";

  @Test
  void eachOrdersPairsAreRatiosOfTheirRunsMedians() {
    // run medians after the warm-up: Java 21 and 25 s, Keras 30 and 35 s, in the order
    // Java 21, Keras 30, Java 25, Keras 35: Java then Keras 21/30, 25/35; Keras then Java 25/30
    String text = BenchReport.read(files).text();
    assertTrue(text.contains(JAVA_AGAINST_KERAS_EPOCHS), text);
    // images/s, run medians: Java 12,500 and 20,000; Keras 10,000 and 5,000
    assertTrue(
        text.contains(
            "cnn: Java / Keras inference images/s 2.67 (medians); Java then Keras 1.25, 4.00;"
                + " Keras then Java 2.00"),
        text);
  }

  @Test
  void eachSideHasItsPooledMedianSpreadAndInferenceBestAndMedian() {
    String text = BenchReport.read(files).text();
    // Java's epochs after each run's first: 20, 22, 24, 26 (median 23, quartiles 21.5 and 24.5);
    // its passes: 10,000, 20,000, 12,500 and three of 20,000 images/s (best and median 20,000)
    assertTrue(
        text.lines()
            .anyMatch(
                l ->
                    l.matches(
                        "cnn +java +2 +4 +23\\.00 +20\\.00-26\\.00 +21\\.50-24\\.50 +20,000"
                            + " +20,000 +0\\.9900 +1000 MB  r-java")),
        text);
    // Keras': 25, 35, 40, 30 (median 32.5); 10,000 and 5,000 images/s (best 10,000, median 7,500)
    assertTrue(
        text.lines()
            .anyMatch(
                l ->
                    l.matches(
                        "cnn +keras +2 +4 +32\\.50 +25\\.00-40\\.00 +28\\.75-36\\.25 +10,000"
                            + " +7,500 .*")),
        text);
    assertTrue(text.contains("cnn: Java's epoch is 2.30 x its kernel floor (10.0 s"), text);
  }

  @Test
  void theCpuIsNamedWithItsFeaturesAndADifferentOneIsFlagged() throws IOException {
    String text = BenchReport.read(files).text();
    assertTrue(
        text.startsWith("CPU: AMD EPYC 9R45 (AVX2 yes, AVX-512F yes, AVX512_BF16 yes, AMX no)\n"),
        text);
    files.add(
        write(
            "other",
            run(
                "keras",
                500,
                "[1.0]",
                "[1.0]",
                ", \"cpu\": {\"model\": \"AMD EPYC 7B13\", \"AVX2\": true}")));
    String mixed = BenchReport.read(files).text();
    assertTrue(mixed.startsWith("CPUs differ between the result files"), mixed);
    assertTrue(mixed.contains("AMD EPYC 7B13 (AVX2 yes, AVX-512F no"), mixed);
  }

  @Test
  void filesWithoutStartTimesArePairedInTheOrderGiven() throws IOException {
    List<Path> old =
        List.of(
            write("a", run("keras", Double.NaN, "[50.0, 30.0]", "[1.0]", "")),
            write("b", run("java", Double.NaN, "[50.0, 15.0]", "[1.0]", "")));
    String text = BenchReport.read(old).text();
    assertTrue(
        text.contains(
            "median epoch 0.50 (Java faster); Java then Keras none; Keras then Java 0.50"),
        text);
  }

  @Test
  void oneSideAloneHasNoRatios() throws IOException {
    String text = BenchReport.read(List.of(files.get(1))).text();
    assertTrue(text.contains("No Java and Keras results of one preset"), text);
    assertFalse(text.contains("Java / Keras"), text);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theJsonCarriesTheCpuTheOrderTheSpreadsAndBothOrdersRatios() {
    Map<String, Object> json = BenchReport.read(files).json();
    Map<String, Object> cpu = (Map<String, Object>) json.get("cpu");
    assertEquals("AMD EPYC 9R45", cpu.get("model"));
    assertEquals(true, cpu.get("AVX512_BF16"));
    assertEquals(false, cpu.get("AMX"));
    Map<String, Object> cnn = ((List<Map<String, Object>>) json.get("presets")).get(0);
    assertEquals(List.of("java", "keras", "java", "keras"), cnn.get("order"));
    Map<String, Object> java =
        (Map<String, Object>) ((Map<String, Object>) cnn.get("sides")).get("java");
    Map<String, Object> epochs = (Map<String, Object>) java.get("epoch_seconds");
    assertEquals(23.0, epochs.get("median"));
    assertEquals(21.5, epochs.get("q1"));
    assertEquals(
        Map.of("best", 20000.0, "median", 20000.0), java.get("inference_images_per_second"));
    Map<String, Object> ratio = (Map<String, Object>) cnn.get("epoch_ratio");
    assertEquals(23 / 32.5, (double) ratio.get("median"), 1e-12);
    assertEquals(List.of(21 / 30.0, 25 / 35.0), ratio.get("java_then_keras"));
    assertEquals(List.of(25 / 30.0), ratio.get("keras_then_java"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void bfloat16RunsAreASideOfTheirOwnPairedWithFloat32AndSkippedByJavaAgainstKeras()
      throws IOException {
    // make bench on a CPU with bf16 arithmetic: Java, Keras, Java under bfloat16, each round
    String bf16 = ", \"dtype_policy\": \"mixed_bfloat16\"";
    files.add(write("b1", run("java", 250, "[20.0, 14.0, 16.0]", "[1.0]", bf16)));
    files.add(write("b2", run("java", 450, "[20.0, 16.0, 18.0]", "[1.0]", bf16)));
    String text = BenchReport.read(files).text();
    // Java against Keras as without the bfloat16 runs: they are skipped, not paired or pooled
    assertTrue(text.contains(JAVA_AGAINST_KERAS_EPOCHS), text);
    // bf16 run medians 15 and 17, float32's 21 and 25, in the order 21, 15, 25, 17;
    // pooled medians 16 (14, 16, 16, 18) and 23 (20, 22, 24, 26)
    assertTrue(
        text.contains(
            "cnn: Java mixed_bfloat16 / float32 median epoch 0.70; bfloat16 then float32 0.60;"
                + " float32 then bfloat16 0.71, 0.68"),
        text);
    assertTrue(text.contains("cnn     java-bf16    2      4    16.00"), text);
    Map<String, Object> cnn =
        ((List<Map<String, Object>>) BenchReport.read(files).json().get("presets")).get(0);
    assertEquals(
        List.of("java", "keras", "java-bf16", "java", "keras", "java-bf16"), cnn.get("order"));
    Map<String, Object> ratio = (Map<String, Object>) cnn.get("bf16_epoch_ratio");
    assertEquals(16 / 23.0, (double) ratio.get("median"), 1e-12);
    assertEquals(List.of(15 / 25.0), ratio.get("bf16_then_float32"));
    assertEquals(List.of(15 / 21.0, 17 / 25.0), ratio.get("float32_then_bf16"));
  }
}
