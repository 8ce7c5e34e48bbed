package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.SpecialFiles;

/** Inputs are checked before they are opened, and sized from their headers before they are read. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DataFilesTest {

  @TempDir Path tmp;

  @Test
  void specialFilesAreRefusedWithoutBeingOpened() throws Exception {
    assertNull(DataFiles.notRegular(Files.write(tmp.resolve("f"), new byte[] {1})));
    assertEquals("is a directory", DataFiles.notRegular(tmp));
    assertEquals("no such file or directory", DataFiles.notRegular(tmp.resolve("nope")));
    Path dangling = Files.createSymbolicLink(tmp.resolve("gone.png"), tmp.resolve("missing"));
    assertEquals(
        "no such file or directory (a symbolic link to a missing target)",
        DataFiles.notRegular(dangling));
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "no /dev/zero here");
    BadInputException e =
        assertThrows(BadInputException.class, () -> DataFiles.requireRegular(zero));
    assertEquals("/dev/zero: not a regular file (a character device)", e.getMessage());
    // opening a FIFO with no writer blocks: the class timeout fails the test if it is opened
    Path fifo = SpecialFiles.fifo(tmp.resolve("pipe"));
    assertEquals("not a regular file (a named pipe)", DataFiles.notRegular(fifo));
  }

  @Test
  void declaredSizesAreCheckedAgainstTheLimit() {
    Path p = tmp.resolve("t10k-images-idx3-ubyte");
    BigInteger need = DataFiles.product(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 28});
    assertEquals("129127208395707777052", need.toString());
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> DataFiles.requireFits(p, "it needs " + need, need));
    assertEquals(
        p + ": it needs " + need + ", more than a data file may hold (134217728 bytes, 128 MiB)",
        e.getMessage());
    DataFiles.requireFits(p, "MNIST", DataFiles.product(new int[] {60000, 28, 28}));
  }

  @Test
  void readUpToTakesWhatIsThere() throws IOException {
    byte[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertArrayEquals(ten, DataFiles.readUpTo(new ByteArrayInputStream(ten), 100 << 20));
    byte[] big = new byte[20 << 20];
    big[big.length - 1] = 7;
    ByteArrayInputStream in = new ByteArrayInputStream(big);
    byte[] got = DataFiles.readUpTo(in, big.length - 1);
    assertEquals(big.length - 1, got.length);
    assertFalse(DataFiles.atEnd(in));
    assertTrue(DataFiles.atEnd(in));
  }
}
