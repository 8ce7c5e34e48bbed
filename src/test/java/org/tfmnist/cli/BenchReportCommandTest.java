package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --report FILES --json OUT} prints the report and writes it as one JSON file. */
@Timeout(60)
class BenchReportCommandTest {

  @TempDir Path tmp;

  static String run(String side, int started, String epochs) {
    return """
        {"side": "%s", "preset": "mlp", "runtime": "r", "batch_size": 128, "train_images": 60000,
         "epoch_seconds": %s, "test_accuracy": 0.97, "inference_seconds": [0.1, 0.2],
         "inference_images": 10000, "inference_batch": 1000, "peak_rss_bytes": 500000000,
         "started_unix": %d, "cpu": {"model": "Some CPU", "AVX2": true}}
        """
        .formatted(side, epochs, started);
  }

  @Test
  @SuppressWarnings("unchecked")
  void writesTheReportAsJson() throws Exception {
    Path j = Files.writeString(tmp.resolve("j.json"), run("java", 1, "[2.0, 1.0]"));
    Path k = Files.writeString(tmp.resolve("k.json"), run("keras", 2, "[2.0, 4.0]"));
    Path out = tmp.resolve("new/report.json");
    CliTest.Run r =
        CliTest.cli("bench", "--report", j.toString(), k.toString(), "--json", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("CPU: Some CPU (AVX2 yes, AVX-512F no"), r.out());
    assertTrue(r.out().contains("mlp: Java / Keras median epoch 0.25 (Java faster)"), r.out());
    Map<String, Object> report = JSON.std.mapFrom(Files.readString(out));
    assertEquals("Some CPU", ((Map<String, Object>) report.get("cpu")).get("model"));
    Map<String, Object> mlp = ((List<Map<String, Object>>) report.get("presets")).get(0);
    assertEquals(
        List.of(0.25), ((Map<String, Object>) mlp.get("epoch_ratio")).get("java_then_keras"));
  }
}
