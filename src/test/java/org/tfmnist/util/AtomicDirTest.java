package org.tfmnist.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestPids;

/**
 * A directory is written whole or not at all; what a killed writer left behind is removed by the
 * next write, what a live writer is filling is not.
 */
@Timeout(60)
class AtomicDirTest {

  @TempDir Path tmp;

  @Test
  void aDeadWritersLeftoversGoALiveWritersStay() throws IOException {
    long dead = TestPids.dead();
    long live = ProcessHandle.current().pid();
    Path stale = Files.createDirectories(tmp.resolve(".3.tmp-" + dead + "-123"));
    Files.writeString(stale.resolve("saved_model.pb"), "half");
    Path busy = Files.createDirectories(tmp.resolve(".4.tmp-" + live + "-456"));
    Path unknown = Files.createDirectories(tmp.resolve(".5.tmp-987654321987"));
    AtomicDir.write(tmp.resolve("6"), false, d -> Files.writeString(d.resolve("f"), "x"));
    assertFalse(Files.exists(stale), "a dead writer's directory is removed");
    assertTrue(Files.exists(busy), "a live writer's directory is left alone");
    assertTrue(Files.exists(unknown), "a directory without an owner is left alone");
    assertEquals("x", Files.readString(tmp.resolve("6/f")));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(
          0,
          s.filter(p -> p.getFileName().toString().contains(".tmp-" + live))
              .filter(p -> !p.equals(busy))
              .count(),
          "no temporary directory of ours is left");
    }
  }

  @Test
  void aFailedWriteLeavesNothing() throws IOException {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicDir.write(
                    tmp.resolve("7"),
                    false,
                    d -> {
                      Files.writeString(d.resolve("f"), "x");
                      throw new IOException("No space left on device");
                    }));
    assertEquals("No space left on device", e.getMessage(), "the writer's own error");
    assertFalse(Files.exists(tmp.resolve("7")));
    assertEquals(0, AtomicDir.removeStale(tmp), "nothing left to clean");
  }
}
