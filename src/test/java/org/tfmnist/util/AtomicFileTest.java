package org.tfmnist.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestModes;
import org.tfmnist.TestPids;

/**
 * What the atomic writers put in place has the modes the umask gives a new file or directory (not
 * the 0600 / 0700 of Java's temporary ones), and a file a killed writer left half-written is
 * removed by the next write once that writer is gone.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AtomicFileTest {

  @TempDir Path tmp;

  @Test
  void aFileAndADirectoryGetTheUmasksModes() throws IOException {
    int umask = TestModes.umask();
    Path file = tmp.resolve("out/digits.png");
    AtomicFile.write(file, new byte[] {1, 2, 3});
    assertEquals(Integer.toOctalString(0666 & ~umask), Integer.toOctalString(TestModes.mode(file)));
    Path dir = tmp.resolve("models/mlp/1");
    AtomicDir.write(dir, false, d -> Files.writeString(d.resolve("saved_model.pb"), "x"));
    TestModes.assertTree(dir, umask);
    assertEquals(java.util.OptionalInt.of(umask), FileModes.umask());
  }

  @Test
  void aDeadWritersPartFileGoesALiveWritersStays() throws IOException {
    long dead = TestPids.dead();
    long live = ProcessHandle.current().pid();
    Path stale = tmp.resolve(".t10k-images-idx3-ubyte.tmp-" + dead + "-8123.part");
    Path busy = tmp.resolve(".train-images-idx3-ubyte.tmp-" + live + "-8124.part");
    Files.writeString(stale, "half");
    Files.writeString(busy, "half");
    AtomicFile.writeString(tmp.resolve("t10k-labels-idx1-ubyte"), "whole");
    assertFalse(Files.exists(stale), "a dead writer's .part is removed");
    assertTrue(Files.exists(busy), "a live writer's .part is left alone");
    assertEquals(
        List.of(busy.getFileName().toString(), "t10k-labels-idx1-ubyte"),
        names(tmp),
        "no .part of ours");
  }

  @Test
  void anEarlierVersionsPartFileGoesOnceADayOld() throws IOException {
    Path old = tmp.resolve(".train-images-idx3-ubyte4417342894591380234.part");
    Path recent = tmp.resolve(".train-labels-idx1-ubyte4417342894591380235.part");
    Files.writeString(old, "half");
    Files.writeString(recent, "half");
    Files.setLastModifiedTime(
        old, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(90_000)));
    AtomicFile.writeString(tmp.resolve("t10k-labels-idx1-ubyte"), "whole");
    assertFalse(Files.exists(old), "a day-old .part without a pid is removed");
    assertTrue(Files.exists(recent), "a recent one may have a live writer: it stays");
  }

  @Test
  void aMessageNamesTheFileATemporaryDirectoryBecomes() {
    assertEquals(
        "/m/mlp/1/variables/variables.data-00000-of-00001",
        AtomicDir.realName(
            "/m/mlp/.1.tmp-4065-8294606559260523274/variables/variables.data-00000-of-00001"));
    assertEquals("/d/mnist/x.bin", AtomicDir.realName("/d/mnist/.x.bin.tmp-4065-77.part"));
    assertEquals("/m/mlp/1/saved_model.pb", AtomicDir.realName("/m/mlp/1/saved_model.pb"));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
