package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras' {@code mnist.npz} and its conversion to the four IDX files, on a small npz written here as
 * NumPy's {@code np.savez} writes one: a zip of stored {@code .npy} entries (format 1.0).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public class NpzTest {

  @TempDir Path tmp;

  /** A {@code .npy} file: magic, version 1.0, a header padded to 64 bytes, the data. */
  public static byte[] npy(String descr, int[] shape, byte[] data) {
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? shape[0] + "," : dims.substring(0, dims.length() - 2);
    String dict =
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
    int total = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >> 8);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** A zip of {@code name.npy} entries, stored uncompressed as {@code np.savez} does. */
  static void npz(Path file, Map<String, byte[]> arrays) throws IOException {
    try (OutputStream f = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(f)) {
      for (Map.Entry<String, byte[]> a : arrays.entrySet()) {
        ZipEntry e = new ZipEntry(a.getKey() + ".npy");
        e.setMethod(ZipEntry.STORED);
        e.setSize(a.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(a.getValue());
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(a.getValue());
        zip.closeEntry();
      }
    }
  }

  /** {@code n} 28x28 images, pixel k of image i being (3 i + k) mod 256. */
  private static byte[] pixels(int n, int offset) {
    byte[] px = new byte[n * 784];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 784; k++) {
        px[i * 784 + k] = (byte) (3 * i + k + offset);
      }
    }
    return px;
  }

  private static final byte[] TRAIN_LABELS = {5, 0, 4, 1};
  private static final byte[] TEST_LABELS = {7, 2, 1};

  /** Keras' four arrays: 4 training and 3 test images, uint8. */
  private static Map<String, byte[]> mnistArrays() {
    Map<String, byte[]> a = new LinkedHashMap<>();
    a.put("x_train", npy("|u1", new int[] {4, 28, 28}, pixels(4, 0)));
    a.put("y_train", npy("|u1", new int[] {4}, TRAIN_LABELS));
    a.put("x_test", npy("|u1", new int[] {3, 28, 28}, pixels(3, 100)));
    a.put("y_test", npy("|u1", new int[] {3}, TEST_LABELS));
    return a;
  }

  @Test
  void aKerasStyleNpzLoadsAndConvertsToIdx() throws IOException {
    Path file = tmp.resolve("mnist.npz");
    npz(file, mnistArrays());
    Npz.Splits s = Npz.readMnist(file);
    assertEquals(4, s.train().count());
    assertEquals(3, s.test().count());
    assertEquals(28, s.train().rows());
    assertEquals(28, s.train().cols());
    assertArrayEquals(TRAIN_LABELS, s.train().labels());
    assertArrayEquals(TEST_LABELS, s.test().labels());
    // training image 3, row 2, column 9: (3 * 3 + 2 * 28 + 9) mod 256 = 74
    assertEquals(74, s.train().pixels()[3 * 784 + 2 * 28 + 9] & 0xff);
    // test image 0, pixel 200: (200 + 100) mod 256 = 44
    assertEquals(44, s.test().pixels()[200] & 0xff);

    // the conversion the Keras cache source makes: the four IDX files, read back as MNIST
    Map<String, byte[]> idx = KerasCacheSource.npzToIdx(s, DatasetSpec.MNIST.files());
    assertEquals(4, idx.size());
    Path dir = Files.createDirectories(tmp.resolve("mnist"));
    for (Map.Entry<String, byte[]> e : idx.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
    Datasets.Splits back = Datasets.read(dir, DatasetSpec.MNIST);
    assertEquals(4, back.train().count());
    assertEquals(3, back.test().count());
    assertArrayEquals(s.train().pixels(), back.train().pixels());
    assertArrayEquals(s.test().pixels(), back.test().pixels());
    assertArrayEquals(TRAIN_LABELS, back.train().labels());
    assertArrayEquals(TEST_LABELS, back.test().labels());
    // and asking for one file gives that file only
    assertEquals(
        java.util.Set.of("t10k-labels-idx1-ubyte"),
        KerasCacheSource.npzToIdx(s, java.util.List.of(DatasetSpec.MNIST.testLabels())).keySet());
  }

  private static void assertOneLine(BadInputException e, Path file, String what) {
    String m = e.getMessage();
    assertFalse(m.contains("\n"), m);
    assertTrue(m.startsWith(file.toString()), m);
    assertTrue(m.contains(what), m);
  }

  @Test
  void aBadNpzIsOneLineThatSaysWhatIsWrong() throws IOException {
    // float32 images, as a user's own np.savez of x / 255 would hold
    Map<String, byte[]> floats = mnistArrays();
    floats.put("x_test", npy("<f4", new int[] {3, 28, 28}, new byte[3 * 784 * 4]));
    Path file = tmp.resolve("floats.npz");
    npz(file, floats);
    BadInputException e = assertThrows(BadInputException.class, () -> Npz.readMnist(file));
    assertOneLine(e, file, "x_test.npy: dtype '<f4' is not uint8");

    // an archive without the test labels
    Map<String, byte[]> missing = mnistArrays();
    missing.remove("y_test");
    Path file2 = tmp.resolve("missing.npz");
    npz(file2, missing);
    assertOneLine(
        assertThrows(BadInputException.class, () -> Npz.readMnist(file2)),
        file2,
        "no array 'y_test' in the archive");

    // not a zip at all
    Path file3 = Files.write(tmp.resolve("text.npz"), "not a zip".getBytes());
    assertOneLine(
        assertThrows(BadInputException.class, () -> Npz.readMnist(file3)),
        file3,
        "not an npz (zip) archive");
  }

  @Test
  void anArrayThatDeclaresMillionsOfImagesIsRefusedFromItsHeader() throws IOException {
    // 3,000,000 x 28 x 28 declared: 2.35 GB, refused before any of the data is read
    Map<String, byte[]> a = mnistArrays();
    a.put("x_test", npy("|u1", new int[] {3_000_000, 28, 28}, new byte[784]));
    Path file = tmp.resolve("huge.npz");
    npz(file, a);
    BadInputException e = assertThrows(BadInputException.class, () -> Npz.readMnist(file));
    assertEquals(
        file
            + ":x_test.npy: shape [3000000, 28, 28] needs 2352000000 bytes, more than a data"
            + " file may hold (134217728 bytes, 128 MiB)",
        e.getMessage());
    // and an array with bytes past its shape
    Map<String, byte[]> b = mnistArrays();
    b.put("y_test", npy("|u1", new int[] {3}, new byte[] {7, 2, 1, 0}));
    Path file2 = tmp.resolve("long.npz");
    npz(file2, b);
    assertEquals(
        file2 + ":y_test.npy: shape [3] needs 3 bytes, the array has more",
        assertThrows(BadInputException.class, () -> Npz.readMnist(file2)).getMessage());
  }
}
