package org.tfmnist.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table compares Java's median epoch with Keras' fastest and with Java's kernel floor. */
class BenchReportTest {

  @TempDir Path tmp;

  static String side(String side, String epochs, String floor) {
    return """
        {"side": "%s", "preset": "cnn", "runtime": "r", "batch_size": 128, "train_images": 60000,
         "epoch_seconds": %s, "test_accuracy": 0.99, "inference_seconds": [1.0, 1.0, 1.0],
         "inference_images": 10000, "peak_rss_bytes": 1000000000%s}
        """
        .formatted(side, epochs, floor);
  }

  @Test
  void javaIsComparedWithKerasFastestEpochAndWithItsFloor() throws Exception {
    Path java = tmp.resolve("cnn-java.json");
    Path keras = tmp.resolve("cnn-keras.json");
    Files.writeString(
        java, side("java", "[30.0, 20.0, 22.0]", ", \"floor\": {\"epoch_seconds\": 14.0}"));
    // Keras' epochs after the warm-up: 41 and 25 s; the fastest is 25
    Files.writeString(keras, side("keras", "[50.0, 41.0, 25.0]", ""));
    String table = BenchReport.render(List.of(java, keras));
    // Java's median after the warm-up: 21 s
    assertTrue(table.contains("cnn: Java's epoch is 1.50 x its kernel floor (14.0 s"), table);
    assertTrue(
        table.contains("cnn: Java's median epoch / Keras' fastest 0.84 (21.00 s vs 25.00 s)"),
        table);
  }
}
