package org.tfmnist.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.SpecialFiles;

/**
 * What predict is given: directories reached through links, link loops, IDX files by their magic
 * number, and labels files that disagree with their images.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InputsTest {

  @TempDir Path tmp;

  @Test
  void linkedDirectoriesAreWalkedAndLoopsReported() throws IOException {
    Path real = Files.createDirectories(tmp.resolve("real/sub"));
    Files.write(real.resolve("a.png"), new byte[] {1});
    Files.write(tmp.resolve("real/b.jpg"), new byte[] {1});
    Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("real"));
    List<Inputs.Input> in = Inputs.expand(List.of(link), null);
    assertEquals(
        List.of(link.resolve("b.jpg").toString(), link.resolve("sub/a.png").toString()),
        in.stream().map(Inputs.Input::name).toList());
    Files.createSymbolicLink(real.resolve("loop"), tmp.resolve("real"));
    List<Inputs.Input> looped = Inputs.expand(List.of(tmp.resolve("real")), null);
    assertEquals(3, looped.size(), looped.toString());
    assertTrue(
        looped.stream()
            .anyMatch(
                i -> i instanceof Inputs.Broken b && b.error().contains("a symbolic link loop")),
        looped.toString());
  }

  @Test
  void idxFilesAreKnownByTheirMagicNumber() throws IOException {
    Path f = tmp.resolve("digits.bin");
    Files.write(f, idx(0x803, 2, 28, 28));
    List<Inputs.Input> in = Inputs.expand(List.of(f), null);
    assertEquals(2, in.size());
    assertTrue(in.get(0) instanceof Inputs.DatasetImage, in.toString());
  }

  @Test
  void labelsThatDisagreeAreAnError() throws IOException {
    Path images = tmp.resolve("x-images-idx3-ubyte");
    Files.write(images, idx(0x803, 3, 28, 28));
    Path labels = tmp.resolve("x-labels-idx1-ubyte");
    Files.write(labels, idx(0x801, 2));
    Inputs.Input short1 = Inputs.expand(List.of(images), null).get(0);
    assertTrue(
        short1 instanceof Inputs.Broken b
            && b.error().equals(labels + ": holds 2 labels " + "for the 3 images of " + images),
        short1.toString());
    byte[] bad = idx(0x801, 3);
    bad[bad.length - 1] = 12;
    Files.write(labels, bad);
    Inputs.Input b12 = Inputs.expand(List.of(images), null).get(0);
    assertTrue(
        b12 instanceof Inputs.Broken b && b.error().equals(labels + ": label 2 is 12, outside 0-9"),
        b12.toString());
  }

  @Test
  void aWalkCountsDanglingLinksAndSpecialFilesAsFailedInputs() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("pics"));
    Files.write(dir.resolve("a.png"), new byte[] {1});
    Path gone = Files.createSymbolicLink(dir.resolve("b.png"), tmp.resolve("deleted.png"));
    Files.createSymbolicLink(dir.resolve(".hidden.png"), tmp.resolve("deleted.png"));
    Files.createSymbolicLink(dir.resolve("notes.txt"), tmp.resolve("deleted.txt"));
    Path pipe = SpecialFiles.fifo(dir.resolve("c.png"));
    List<Inputs.Input> in = Inputs.expand(List.of(dir), null);
    assertEquals(
        List.of(
            new Inputs.ImageFile(dir.resolve("a.png")),
            new Inputs.Broken(
                gone.toString(),
                gone + ": no such file or directory (a symbolic link to a missing target)"),
            new Inputs.Broken(pipe.toString(), pipe + ": not a regular file (a named pipe)")),
        in);
    // the same paths given directly fail the same way, and the FIFO is never opened
    assertEquals(in.subList(1, 3), Inputs.expand(List.of(gone, pipe), null));
  }

  @Test
  void devicesAreRefusedNotRead() {
    Path zero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero here");
    assertEquals(
        List.of(
            new Inputs.Broken("/dev/zero", "/dev/zero: not a regular file (a character device)")),
        Inputs.expand(List.of(zero), null));
  }

  @Test
  void indicesAreZeroOrMore() {
    assertArrayEquals(new int[] {1, 5, 7, 8, 9}, Inputs.parseIndices("1,5,7-9"));
    for (String bad : new String[] {"-3", "-3-5", "2--1", "9-2", "x", "", ",", "0-1000000"}) {
      assertThrows(IllegalArgumentException.class, () -> Inputs.parseIndices(bad), bad);
    }
    assertEquals(
        "'-3' is negative: images are numbered from 0",
        assertThrows(IllegalArgumentException.class, () -> Inputs.parseIndices("-3")).getMessage());
    assertEquals(Inputs.MAX_INDICES, Inputs.parseIndices("0-" + (Inputs.MAX_INDICES - 1)).length);
    // the end of an int's range without overflowing the loop
    assertEquals(1, Inputs.parseIndices("2147483647-2147483647").length);
  }

  /** An IDX file of zeros with these dimensions. */
  private static byte[] idx(int magic, int... dims) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + n).putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.array();
  }
}
