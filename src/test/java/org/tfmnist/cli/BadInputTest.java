package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.DataException;

/**
 * Output paths that cannot be written are one line before any work; a damaged newest checkpoint
 * is refused, never silently replaced by an older one; I/O errors say why.
 */
class BadInputTest {

  @TempDir Path tmp;

  @Test
  void unwritableOutputsAreFoundFirst() throws IOException {
    Path model = tmp.resolve("m/1");
    TestModels.copy(TestModels.mlp(), model);
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    CliTest.Run p = CliTest.cli("predict", "--model", model.toString(), "--save-preprocessed",
        file.toString(), "--index", "0", TestData.mnistDir().resolve("t10k-images-idx3-ubyte")
            .toString());
    assertEquals(1, p.code(), p.err());
    assertEquals("tf-mnist: error: " + file + ": exists and is not a directory", p.err().strip());
    CliTest.Run e = CliTest.cli("evaluate", "-m", model.toString(), "--limit", "10",
        "--save-probabilities", tmp.toString());
    assertEquals(1, e.code(), e.err());
    assertEquals("tf-mnist: error: " + tmp + ": is a directory", e.err().strip());
    CliTest.Run n = CliTest.cli("evaluate", "-m", model.toString(), "--limit", "10",
        "--save-probabilities", tmp.resolve("no/p.npy").toString());
    assertEquals("tf-mnist: error: " + tmp.resolve("no") + ": no such directory",
        n.err().strip());
  }

  @Test
  void aDamagedNewestCheckpointIsRefusedNotSkipped() throws IOException {
    Path ck = tmp.resolve("ck");
    Files.createDirectories(ck.resolve("epoch-0001"));
    Files.writeString(ck.resolve("epoch-0001/state.json"), "{}");
    Files.createDirectories(ck.resolve("epoch-0002"));
    Files.writeString(ck.resolve("epoch-0002/state.json"), "{\"epoch\": 2, trunc");
    CliTest.Run r = CliTest.cli("export", "-c", ck.toString(), "--models-dir",
        tmp.resolve("models").toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("tf-mnist: error: " + ck.resolve("epoch-0002/state.json")
        + ": the newest checkpoint's state is damaged ("), r.err());
    assertTrue(r.err().contains("the epoch before it is " + ck.resolve("epoch-0001")), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(!Files.exists(tmp.resolve("models")), "nothing exported");
  }

  @Test
  void ioErrorsSayWhy() {
    assertEquals("permission denied", DataException.reason(new AccessDeniedException("/x")));
    assertEquals("no such file or directory", DataException.reason(
        new NoSuchFileException("/x")));
    assertEquals("No space left on device", DataException.reason(
        new java.nio.file.FileSystemException("/x", null, "No space left on device")));
  }
}
