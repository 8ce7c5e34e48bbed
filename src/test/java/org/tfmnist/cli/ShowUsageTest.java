package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/**
 * {@code show}'s values out of range are usage errors (exit 2) found before anything is read or
 * drawn; a place it cannot write is one line (exit 1).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShowUsageTest {

  @TempDir Path tmp;

  private static String[] withData(String... args) {
    String[] r = java.util.Arrays.copyOf(args, args.length + 2);
    r[args.length] = "--data-dir";
    r[args.length + 1] = TestData.dataRoot().toString();
    return r;
  }

  /** Exit 2, picocli's line naming {@code option} first, nothing written to stdout. */
  private static void usageError(String expectedFirstLine, String... args) {
    CliTest.Run r = CliTest.cli(withData(args));
    String line = String.join(" ", args);
    assertEquals(2, r.code(), line + ": " + r.out() + r.err());
    assertEquals(expectedFirstLine, r.err().lines().findFirst().orElse(""), line);
    assertEquals("", r.out(), line + ": nothing ran");
    assertEquals(java.util.Optional.empty(), OneLineErrors.problem(r), line);
  }

  @Test
  void gridCountsOutsideOneTo400AreUsageErrors() {
    String out = tmp.resolve("s.png").toString();
    // 0 and -4 were a division by zero (exit 70); 100000 drew for 88 s a 121 MB PNG
    for (String n : List.of("0", "-4", "401", "100000")) {
      usageError(
          "Invalid value for option '--count': " + n + " (must be 1 to 400)",
          "show",
          "samples",
          "--count",
          n,
          "-o",
          out);
    }
    assertFalse(Files.exists(tmp.resolve("s.png")));
  }

  @Test
  void aSplitOtherThanTrainOrTestIsAUsageError() {
    usageError(
        "Invalid value for option '--split': 'dev' (expected one of: train, test)",
        "show",
        "samples",
        "--split",
        "dev",
        "-o",
        tmp.resolve("s.png").toString());
  }

  @Test
  void rightAndWrongTogetherIsAUsageError() {
    usageError(
        "--wrong and --right exclude each other: give one or neither",
        "show",
        "predictions",
        "--model",
        tmp.resolve("no-model-needed").toString(),
        "--right",
        "--wrong");
  }

  @Test
  void photoAndCanvasCountsOutsideOneTo10000AreUsageErrors() {
    usageError(
        "Invalid value for option '--count': 0 (must be 1 to 10000)",
        "show",
        "photos",
        "--count",
        "0",
        "--out-dir",
        tmp.resolve("p").toString());
    // was "Wrote -1 canvas drawings", exit 0
    usageError(
        "Invalid value for option '--count': -1 (must be 1 to 10000)",
        "show",
        "canvases",
        "--count",
        "-1",
        "--out-dir",
        tmp.resolve("c").toString());
    assertFalse(Files.exists(tmp.resolve("p")) || Files.exists(tmp.resolve("c")));
  }

  @Test
  void anOutDirThatIsAFileIsOneLine() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    CliTest.Run r = CliTest.cli(withData("show", "photos", "--count", "1", "--out-dir", "" + file));
    assertEquals(1, r.code(), r.err());
    assertEquals("tf-mnist: error: " + file + ": exists and is not a directory", r.err().strip());
    assertEquals("x", Files.readString(file), "the file is untouched");
  }

  @Test
  void aPictureThatCannotBeWrittenIsOneLine() throws IOException {
    Path model = tmp.resolve("models/mlp/1");
    ModelWithHistory.copy(model);
    CliTest.Run r = CliTest.cli("show", "history", "-o", "/proc/x.png", model.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(
        r.err().strip().startsWith("tf-mnist: error: /proc/x.png: cannot write the picture: "),
        r.err());
    assertEquals(java.util.Optional.empty(), OneLineErrors.problem(r), r.err());
  }
}
