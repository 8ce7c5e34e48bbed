package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.SpecialFiles;
import org.tfmnist.TestData;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdxTest {

  @TempDir Path tmp;

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(tmp.resolve(name), bytes);
  }

  private static byte[] images(int n) {
    byte[] px = new byte[n * 4];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) i;
    }
    return Idx.encode(new int[] {n, 2, 2}, px);
  }

  private static byte[] labels(int... l) {
    byte[] b = new byte[l.length];
    for (int i = 0; i < l.length; i++) {
      b[i] = (byte) l[i];
    }
    return Idx.encode(new int[] {l.length}, b);
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  /** The message is one line and names the file. */
  private static void assertOneLine(BadInputException e, Path file, String what) {
    String m = e.getMessage();
    assertFalse(m.contains("\n"), m);
    assertTrue(m.startsWith(file.toString()), m);
    assertTrue(m.contains(what), m);
  }

  @Test
  void readsRawAndGzipIdentically() throws IOException {
    Path raw = write("img", images(3));
    Path gz = write("img.gz", gzip(images(3)));
    Idx.Array a = Idx.read(raw);
    Idx.Array b = Idx.read(gz);
    assertArrayEquals(new int[] {3, 2, 2}, a.dims());
    assertArrayEquals(a.data(), b.data());
    LabeledImages li = Idx.load(raw, write("lab", labels(1, 2, 9)));
    assertEquals(3, li.count());
    assertEquals(9, li.label(2));
  }

  @Test
  void rejectsWrongMagic() throws IOException {
    byte[] b = images(2);
    b[0] = 1;
    Path p = write("bad", b);
    assertOneLine(assertThrows(BadInputException.class, () -> Idx.read(p)), p, "magic");
  }

  @Test
  void rejectsOtherTypeCodes() throws IOException {
    byte[] b = images(2);
    b[2] = 0x0D;
    Path p = write("float", b);
    assertOneLine(assertThrows(BadInputException.class, () -> Idx.read(p)), p, "float32");
  }

  @Test
  void rejectsTruncatedFiles() throws IOException {
    byte[] b = images(5);
    Path p = write("short", Arrays.copyOf(b, b.length - 3));
    assertOneLine(assertThrows(BadInputException.class, () -> Idx.read(p)), p, "truncated");
    Path h = write("header", Arrays.copyOf(b, 9));
    assertOneLine(assertThrows(BadInputException.class, () -> Idx.read(h)), h, "truncated");
  }

  @Test
  void rejectsDimensionsThatDisagreeWithTheSize() throws IOException {
    byte[] b = Arrays.copyOf(images(2), images(2).length + 7);
    Path p = write("long", b);
    assertOneLine(assertThrows(BadInputException.class, () -> Idx.read(p)), p, "extra");
  }

  @Test
  void rejectsTruncatedGzip() throws IOException {
    byte[] gz = gzip(images(50));
    Path p = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
    assertOneLine(assertThrows(BadInputException.class, () -> Idx.read(p)), p, "gzip");
  }

  @Test
  void rejectsLabelsOutsideZeroToNine() throws IOException {
    Path img = write("img", images(3));
    Path lab = write("lab", labels(1, 10, 2));
    assertOneLine(
        assertThrows(BadInputException.class, () -> Idx.load(img, lab)), lab, "outside 0-9");
  }

  @Test
  void rejectsCountMismatch() throws IOException {
    Path img = write("img", images(3));
    Path lab = write("lab", labels(1, 2));
    assertOneLine(
        assertThrows(BadInputException.class, () -> Idx.load(img, lab)),
        lab,
        "2 labels for 3 images");
  }

  @Test
  void rejectsSwappedFiles() throws IOException {
    Path img = write("img", images(3));
    Path lab = write("lab", labels(1, 2, 3));
    assertOneLine(
        assertThrows(BadInputException.class, () -> Idx.load(lab, img)), lab, "3 dimensions");
  }

  /** An IDX header of unsigned bytes with these dimensions, and no data. */
  private static byte[] header(int... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).putInt(0x800 + dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.array();
  }

  @Test
  void hugeDimensionsAreReportedWithoutOverflow() throws IOException {
    byte[] b = Arrays.copyOf(header(Integer.MAX_VALUE, Integer.MAX_VALUE, 28), 16 + 12);
    Path p = write("huge", b);
    BigInteger need = BigInteger.valueOf(Integer.MAX_VALUE).pow(2).multiply(BigInteger.valueOf(28));
    BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(p));
    assertEquals(
        p
            + ": truncated: dimensions [2147483647, 2147483647, 28] need "
            + need
            + " data bytes, the file has 12",
        e.getMessage());
  }

  @Test
  void aThreeGigabyteFileIsRefusedFromItsHeader() throws IOException {
    // sizes that agree with the header, but more than a data file may hold: never read
    long data = 3L << 30;
    Path p =
        SpecialFiles.sparse(tmp.resolve("t10k-images-idx3-ubyte"), 12 + data, header(3, 1 << 30));
    BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(p));
    assertEquals(
        p
            + ": dimensions [3, 1073741824] need 3221225472 data bytes, more than a data file"
            + " may hold (134217728 bytes, 128 MiB)",
        e.getMessage());
  }

  @Test
  void aGzipThatDeclaresTooMuchIsRefusedFromItsHeader() throws IOException {
    // the header declares 235 MB; only 1 MB of it is there, and none of it is decompressed
    byte[] b = Arrays.copyOf(header(300_000, 28, 28), 16 + (1 << 20));
    Path p = write("bomb-idx3-ubyte.gz", gzip(b));
    BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(p));
    assertOneLine(e, p, "dimensions [300000, 28, 28] need 235200000 data bytes, more than");
  }

  @Test
  void aGzipThatGoesOnPastItsDimensionsIsRefusedWithoutReadingTheRest() throws IOException {
    byte[] b = Arrays.copyOf(images(2), images(2).length + (8 << 20));
    Path p = write("long.gz", gzip(b));
    BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(p));
    assertEquals(
        p + ": dimensions [2, 2, 2] need 8 data bytes, the decompressed data has more",
        e.getMessage());
  }

  @Test
  void aGzipBombFetchedIsRefusedOnceItPassesTheLimit() throws IOException {
    byte[] bomb = gzip(new byte[(int) DataFiles.MAX_DATA_BYTES + 64]);
    Path name = Path.of("mirror", "x.gz");
    BadInputException e = assertThrows(BadInputException.class, () -> Idx.gunzip(name, bomb));
    assertOneLine(e, name, "gzip data larger than");
    assertArrayEquals(images(3), Idx.gunzip(name, gzip(images(3))));
  }

  @Test
  void missingFileIsOneLine() {
    Path p = tmp.resolve("nope");
    assertOneLine(assertThrows(BadInputException.class, () -> Idx.read(p)), p, "no such file");
  }

  @Test
  void realMnistHasTheKnownClassCounts() {
    // the published class counts of MNIST's splits and its first training labels
    LabeledImages train = TestData.mnist().train();
    LabeledImages test = TestData.mnist().test();
    assertEquals(60000, train.count());
    assertEquals(10000, test.count());
    assertArrayEquals(
        new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
        train.classCounts());
    assertArrayEquals(
        new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.classCounts());
    int[] first = new int[10];
    for (int i = 0; i < 10; i++) {
      first[i] = train.label(i);
    }
    assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, first);
  }
}
