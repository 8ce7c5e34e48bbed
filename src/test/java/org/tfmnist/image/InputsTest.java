package org.tfmnist.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What predict is given: directories reached through links, link loops, IDX files by their magic
 * number, and labels files that disagree with their images.
 */
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
