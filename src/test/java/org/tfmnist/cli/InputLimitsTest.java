package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.SpecialFiles;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.NpzTest;
import org.tfmnist.image.DigitPng;

/**
 * Inputs that declare or hold more than memory allows, and files that are no files, through {@code
 * predict} and {@code evaluate} in a JVM of {@value #HEAP}: each is one line naming it, refused
 * from its header (the data would not fit that heap), and the good inputs beside them are still
 * predicted.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InputLimitsTest {

  private static final String HEAP = "-Xmx128m";

  /** Bytes of zeros in each bomb: more than the heap, a few hundred KB once compressed. */
  private static final int BOMB = 180_000 * 784;

  @TempDir Path tmp;

  private CliTest.Run child(String... args) throws IOException, InterruptedException {
    List<String> cmd = ChildProcess.javaMain(HEAP, "-XX:-UsePerfData");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
    return ChildProcess.run(pb, tmp);
  }

  /** An IDX header of unsigned bytes with these dimensions. */
  private static byte[] idxHeader(int... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).putInt(0x800 + dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.array();
  }

  /** {@code head}, then {@code zeros} zero bytes, written through {@code out} a MiB at a time. */
  private static void write(OutputStream out, byte[] head, long zeros) throws IOException {
    out.write(head);
    byte[] chunk = new byte[1 << 20];
    for (long left = zeros; left > 0; left -= chunk.length) {
      out.write(chunk, 0, (int) Math.min(left, chunk.length));
    }
  }

  private static Path gzipBomb(Path p, byte[] head, long zeros) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p), 1 << 16)) {
      write(out, head, zeros);
    }
    return p;
  }

  /** A Keras-style npz whose x_test declares and holds 180,000 images of zeros (141 MB). */
  private static Path npzBomb(Path p) throws IOException {
    Map<String, byte[]> small = new LinkedHashMap<>();
    small.put("x_train", NpzTest.npy("|u1", new int[] {1, 28, 28}, new byte[784]));
    small.put("y_train", NpzTest.npy("|u1", new int[] {1}, new byte[1]));
    small.put("y_test", NpzTest.npy("|u1", new int[] {180_000}, new byte[180_000]));
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(p))) {
      for (Map.Entry<String, byte[]> e : small.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        zip.write(e.getValue());
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry("x_test.npy"));
      write(zip, NpzTest.npy("|u1", new int[] {180_000, 28, 28}, new byte[0]), BOMB);
      zip.closeEntry();
    }
    return p;
  }

  /** 3 GB of (sparse) zeros behind an IDX header that agrees with the size. */
  private static Path bigIdx(Path p) throws IOException {
    return SpecialFiles.sparse(p, 16 + 4_108_000L * 784, idxHeader(4_108_000, 28, 28));
  }

  @Test
  void predictGoesOnPastEveryInputThatCannotBeRead() throws Exception {
    Path model = TestModels.mlp();
    byte[] digit = DigitPng.encode(TestData.mnist().test().imageAsFloats(0));
    Path good = Files.write(tmp.resolve("good.png"), digit);
    Path walked = Files.createDirectories(tmp.resolve("walked"));
    Files.write(walked.resolve("good2.png"), digit);
    Files.createSymbolicLink(walked.resolve("gone.png"), tmp.resolve("deleted.png"));
    Map<Path, String> bad = new LinkedHashMap<>();
    bad.put(npzBomb(tmp.resolve("huge.npz")), "more than a data file may hold");
    bad.put(
        gzipBomb(tmp.resolve("bomb-idx3-ubyte.gz"), idxHeader(180_000, 28, 28), BOMB),
        "more than a data file may hold");
    bad.put(
        gzipBomb(tmp.resolve("long-idx3-ubyte.gz"), idxHeader(100, 28, 28), BOMB),
        "the decompressed data has more");
    bad.put(
        bigIdx(Files.createDirectories(tmp.resolve("big")).resolve("t10k-images-idx3-ubyte")),
        "more than a data file may hold");
    bad.put(SpecialFiles.sparse(tmp.resolve("x.png"), 3L << 30, new byte[0]), "not an image");
    bad.put(SpecialFiles.sparse(tmp.resolve("zeros.jpg"), 3L << 29, new byte[0]), "not an image");
    bad.put(Path.of("/dev/zero"), "not a regular file (a character device)");
    bad.put(Path.of("/dev/urandom"), "not a regular file (a character device)");
    Path fifo = tmp.resolve("pipe.png");
    if (SpecialFiles.tryFifo(fifo)) {
      bad.put(fifo, "not a regular file (a named pipe)");
    }
    bad.put(Files.write(tmp.resolve("digit.tif"), tiff()), "a TIFF picture");
    List<String> args =
        new ArrayList<>(List.of("predict", "--model", model.toString(), "--format", "csv"));
    args.add(good.toString());
    bad.keySet().forEach(p -> args.add(p.toString()));
    args.add(walked.toString());

    CliTest.Run r = child(args.toArray(String[]::new));

    assertEquals(1, r.code(), "exit 1: some inputs failed\n" + r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    for (Path ok : List.of(good, walked.resolve("good2.png"))) {
      assertTrue(
          java.util.regex.Pattern.compile(
                  "(?m)^" + java.util.regex.Pattern.quote(ok + ",") + "\\d,")
              .matcher(r.out())
              .find(),
          "predicted: " + ok + "\n" + r.out());
    }
    bad.put(walked.resolve("gone.png"), "a symbolic link to a missing target");
    List<String> errors = r.err().lines().filter(l -> l.startsWith("tf-mnist: error: ")).toList();
    assertEquals(bad.size(), errors.size(), r.err());
    for (Map.Entry<Path, String> e : bad.entrySet()) {
      String prefix = "tf-mnist: error: " + e.getKey() + ":";
      assertTrue(
          errors.stream().anyMatch(l -> l.startsWith(prefix) && l.contains(e.getValue())),
          prefix + "... " + e.getValue() + " in\n" + r.err());
    }
  }

  /**
   * A valid file of 50,000 images (39 MB) is predicted in the same 128 MB heap: its bytes are held
   * once, and the floats the model takes only a chunk at a time (as floats, all of it would need
   * 157 MB, twice over with the batch copy).
   */
  @Test
  void predictStreamsALargeValidFileThroughASmallHeap() throws Exception {
    Path model = TestModels.mlp();
    int n = 50_000;
    Path images = tmp.resolve("big-idx3-ubyte");
    try (OutputStream out = Files.newOutputStream(images)) {
      out.write(idxHeader(n, 28, 28));
      byte[] image = new byte[784];
      for (int i = 0; i < n; i++) {
        image[(i * 7) % 784] = (byte) 255; // images differ, so the predictions are no constant
        out.write(image);
      }
    }
    CliTest.Run r =
        child("predict", "--model", model.toString(), "--format", "csv", images.toString());
    assertEquals(0, r.code(), r.err());
    List<String> rows = r.out().lines().filter(l -> l.startsWith(images.toString())).toList();
    assertEquals(n, rows.size(), "one row per image");
    assertTrue(rows.get(n - 1).startsWith(images + "[" + (n - 1) + "],"), rows.get(n - 1));
  }

  @Test
  void evaluateRefusesImagesItCannotHoldFromTheirHeaders() throws Exception {
    Path model = TestModels.mlp();
    Path labels = TestData.mnistDir().resolve("t10k-labels-idx1-ubyte");
    Path big = bigIdx(tmp.resolve("t10k-images-idx3-ubyte"));
    Path bomb = gzipBomb(tmp.resolve("bomb.gz"), idxHeader(180_000, 28, 28), BOMB);
    Map<Path, String> cases = new LinkedHashMap<>();
    cases.put(
        big,
        ": dimensions [4108000, 28, 28] need 3220672000 data bytes, more than a data file may"
            + " hold (134217728 bytes, 128 MiB)");
    cases.put(
        bomb,
        ": dimensions [180000, 28, 28] need 141120000 data bytes, more than a data file may"
            + " hold (134217728 bytes, 128 MiB)");
    cases.put(Path.of("/dev/zero"), ": not a regular file (a character device)");
    Path fifo = tmp.resolve("pipe");
    if (SpecialFiles.tryFifo(fifo)) {
      cases.put(fifo, ": not a regular file (a named pipe)");
    }
    for (Map.Entry<Path, String> c : cases.entrySet()) {
      CliTest.Run r =
          child(
              "evaluate",
              "-m",
              model.toString(),
              "--images",
              c.getKey().toString(),
              "--labels",
              labels.toString());
      assertEquals(1, r.code(), r.err());
      assertEquals("tf-mnist: error: " + c.getKey() + c.getValue(), r.err().strip());
    }
  }

  @Test
  void aNegativeIndexIsBadUsage() {
    CliTest.Run r = CliTest.cli("predict", "--index", "-3", tmp.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err().contains("bad --index '-3': '-3' is negative: images are numbered from 0"),
        r.err());
  }

  private static byte[] tiff() throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
        "tiff",
        out);
    return out.toByteArray();
  }
}
