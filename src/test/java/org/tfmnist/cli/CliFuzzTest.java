package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/**
 * Every command, every option with a boundary value of its type ({@link FuzzCases}): each ends in
 * exit 0, 1 or 2, never 70; no stack trace and no exception's name on stderr; a bad-input error
 * (exit 1) is one {@code tf-mnist: error:} line, a usage error (exit 2) picocli's line and usage.
 * Values that pass run for real on a tiny slice: training is one epoch of the MLP on 64 images.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CliFuzzTest {

  @TempDir static Path tmp;

  private static Path model;
  private static Path checkpoints;
  private static Path benchJson;

  @BeforeAll
  static void fixtures() throws IOException {
    model = tmp.resolve("models/mlp/1");
    ModelWithHistory.copy(model);
    CliTest.Run r =
        CliTest.cli(
            TrainArgs.of(
                tmp, "--epochs", "1", "--train-limit", "64", "--test-limit", "32", "--no-export"));
    assertEquals(0, r.code(), r.err());
    checkpoints = tmp.resolve("ck");
    benchJson =
        Files.writeString(
            tmp.resolve("bench.json"),
            "{\"side\": \"java\", \"preset\": \"mlp\", \"runtime\": \"TF Java\", \"batch_size\":"
                + " 128, \"train_images\": 60000, \"epoch_seconds\": [2.0, 1.5],"
                + " \"test_accuracy\": 0.97, \"inference_seconds\": [0.1],"
                + " \"inference_images\": 10000, \"peak_rss_bytes\": 500000000}");
  }

  /** A small Keras model file (a test resource). */
  private static String kerasFile() {
    return org.tfmnist.KerasFixtures.path("small_cnn.keras").toString();
  }

  /** Cheap command lines for every leaf command, writing only under {@code dir}. */
  private static Map<String, FuzzCases.Baseline> baselines(Path dir) {
    String data = TestData.dataRoot().toString();
    String source = TestData.mnistDir().toString();
    String m = model.toString();
    List<String> none = List.of();
    return Map.ofEntries(
        Map.entry(
            "train",
            FuzzCases.Baseline.of(
                none,
                "--preset",
                "mlp",
                "--epochs",
                "1",
                "--train-limit",
                "64",
                "--test-limit",
                "32",
                "--progress",
                "lines",
                "--data-dir",
                data,
                "--source",
                source,
                "--models-dir",
                dir.resolve("models").toString(),
                "--checkpoint-dir",
                dir.resolve("ck").toString())),
        Map.entry(
            "evaluate",
            FuzzCases.Baseline.of(
                none, "--model", m, "--limit", "100", "--data-dir", data, "--source", source)),
        Map.entry("summary", FuzzCases.Baseline.of(none, "--preset", "mlp")),
        Map.entry(
            "export",
            FuzzCases.Baseline.of(
                none,
                "--checkpoint",
                checkpoints.toString(),
                "--models-dir",
                dir.resolve("models").toString())),
        Map.entry(
            "import",
            FuzzCases.Baseline.of(
                List.of(kerasFile()),
                "--name",
                "imported",
                "--models-dir",
                dir.resolve("models").toString(),
                "--checkpoint-dir",
                dir.resolve("ck-imported").toString())),
        Map.entry("data", FuzzCases.Baseline.of(none, "--data-dir", data, "--source", source)),
        Map.entry(
            "predict",
            FuzzCases.Baseline.of(
                List.of(TestData.mnistDir().resolve("t10k-images-idx3-ubyte").toString()),
                "--model",
                m,
                "--index",
                "0-3")),
        Map.entry(
            "bench",
            // --report renders result files after every option is checked: nothing is timed
            FuzzCases.Baseline.of(
                List.of(benchJson.toString()),
                "--report",
                null,
                "--data-dir",
                data,
                "--source",
                source)),
        Map.entry(
            "serve",
            // a models directory that is a file: every figure is checked, no server starts
            FuzzCases.Baseline.of(none, "--models", benchJson.toString())),
        Map.entry("show samples", show(dir, "--count", "2")),
        Map.entry("show predictions", show(dir, "--model", m, "--count", "2")),
        Map.entry(
            "show history",
            FuzzCases.Baseline.of(List.of(m), "--out", dir.resolve("h.png").toString())),
        Map.entry("show confusion", show(dir, "--model", m)),
        Map.entry("show photos", pictures(dir)),
        Map.entry("show canvases", pictures(dir)));
  }

  private static FuzzCases.Baseline show(Path dir, String... kv) {
    List<String> all = new ArrayList<>(List.of(kv));
    all.addAll(
        List.of(
            "--out",
            dir.resolve("p.png").toString(),
            "--data-dir",
            TestData.dataRoot().toString(),
            "--source",
            TestData.mnistDir().toString()));
    return FuzzCases.Baseline.of(List.of(), all.toArray(String[]::new));
  }

  private static FuzzCases.Baseline pictures(Path dir) {
    return FuzzCases.Baseline.of(
        List.of(),
        "--count",
        "2",
        "--out-dir",
        dir.resolve("pics").toString(),
        "--data-dir",
        TestData.dataRoot().toString(),
        "--source",
        TestData.mnistDir().toString());
  }

  @Test
  void noCommandEndsInATraceWhateverTheValue() throws IOException {
    Path cases = tmp.resolve("cases");
    FuzzCases.Paths paths =
        new FuzzCases.Paths(
            cases.resolve("missing/x"),
            cases.resolve("a-dir"),
            cases.resolve("a-file"),
            Path.of("/proc/tf-mnist-fuzz/x"));
    List<FuzzCases.Case> all =
        FuzzCases.all(Main.commandLine(), baselines(cases.resolve("out")), paths);
    assertTrue(all.size() > 400, "every command and option: " + all.size());
    List<String> failures = new ArrayList<>();
    String only = System.getProperty("fuzz.only", ""); // -Dfuzz.only=serve runs serve's alone
    for (FuzzCases.Case c : all) {
      if (!c.label().startsWith(only)) {
        continue;
      }
      // every case starts from the same files: a case may create the missing path, say
      org.tfmnist.util.AtomicDir.deleteTree(cases);
      Files.createDirectories(paths.dir());
      Files.writeString(paths.file(), "not what was asked for\n");
      long t0 = System.nanoTime();
      CliTest.Run r = CliTest.cli(c.args().toArray(String[]::new));
      double seconds = (System.nanoTime() - t0) / 1e9;
      OneLineErrors.problem(r).ifPresent(p -> failures.add(c.label() + ": " + p));
      if (seconds > 10) {
        // not a failure (a loaded machine is slow), but the place to look if the test times out
        System.err.printf(java.util.Locale.ROOT, "slow fuzz case (%.0f s): %s%n", seconds, c);
      }
    }
    assertEquals(List.of(), failures, all.size() + " cases");
  }
}
