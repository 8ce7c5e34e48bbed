package org.tfmnist.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestModels;
import org.tfmnist.TestModes;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.util.AtomicDir;
import org.tfmnist.util.TensorBundle;

/**
 * A SavedModel whose variables are missing or cut short is refused before TensorFlow loads it, in
 * one line naming the file and the fault; an exported one has the modes the umask gives, so a
 * server running as another user can read it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SavedModelFilesTest {

  @TempDir Path tmp;

  private Path copy() {
    Path dir = tmp.resolve("mlp/1");
    TestModels.copy(TestModels.mlp(), dir);
    return dir;
  }

  private static String loadError(Path dir) {
    return assertThrows(ExportException.class, () -> ServingModel.load(dir).close()).getMessage();
  }

  @Test
  void missingVariablesAreSaidToBeMissing() {
    Path dir = copy();
    AtomicDir.deleteTree(dir.resolve("variables"));
    assertEquals(
        dir + ": the variables are missing: " + dir.resolve("variables/variables.index"),
        loadError(dir));
  }

  @Test
  void aMissingShardIsNamed() throws IOException {
    Path dir = copy();
    Path shard = dir.resolve("variables/variables.data-00000-of-00001");
    Files.delete(shard);
    assertEquals(dir + ": the variables are missing: " + shard, loadError(dir));
  }

  @Test
  void aTruncatedShardIsCorruptWithItsSizes() throws IOException {
    Path dir = copy();
    Path shard = dir.resolve("variables/variables.data-00000-of-00001");
    long size = Files.size(shard);
    try (var ch =
        java.nio.channels.FileChannel.open(shard, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(1000);
    }
    assertEquals(
        dir
            + ": the variables are corrupt: "
            + shard
            + " holds 1000 bytes, its index lists "
            + size
            + " (a truncated copy?)",
        loadError(dir));
  }

  @Test
  void anUnreadableIndexIsCorrupt() throws IOException {
    Path dir = copy();
    Path index = dir.resolve("variables/variables.index");
    Files.write(index, new byte[100]);
    assertEquals(
        dir + ": the variables are corrupt: " + index + " is not a readable checkpoint index",
        loadError(dir));
  }

  @Test
  void theIndexListsWhatTheShardHolds() throws IOException {
    Path vars = TestModels.mlp().resolve("variables");
    long[] needed = TensorBundle.shardLengths(Files.readAllBytes(vars.resolve("variables.index")));
    assertArrayEquals(
        new long[] {Files.size(vars.resolve("variables.data-00000-of-00001"))}, needed);
  }

  @Test
  void anExportedModelHasTheUmasksModes() throws IOException {
    int umask = TestModes.umask();
    TestModes.assertTree(TestModels.mlp(), umask);
    if (umask == 022) {
      // what another user (TF Serving, a server run as another account) needs
      try (Stream<Path> s = Files.walk(TestModels.mlp())) {
        for (Path p : s.toList()) {
          var perms = Files.getPosixFilePermissions(p);
          assertTrue(perms.contains(PosixFilePermission.OTHERS_READ), p + ": " + perms);
          assertTrue(
              !Files.isDirectory(p) || perms.contains(PosixFilePermission.OTHERS_EXECUTE),
              p + ": " + perms);
        }
      }
    }
  }
}
