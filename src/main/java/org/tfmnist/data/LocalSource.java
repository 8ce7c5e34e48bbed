package org.tfmnist.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tfmnist.data.DatasetSpec.FileSpec;

/**
 * A directory the user points at: the IDX files under any common name (raw or gzipped,
 * "train-images-idx3-ubyte" or "train-images.idx3-ubyte"), or an mnist.npz, given directly or lying
 * in the directory.
 */
final class LocalSource implements Source {
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
          // read whole (its checksum is next), so sized first: a wrong file of gigabytes is one
          // line, not an out-of-memory error
          long size = Files.size(p);
          DataFiles.requireFits(
              p, "the file holds " + size + " bytes", java.math.BigInteger.valueOf(size));
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
