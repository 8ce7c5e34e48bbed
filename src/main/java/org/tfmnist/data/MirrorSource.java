package org.tfmnist.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tfmnist.data.DatasetSpec.FileSpec;

/**
 * Public HTTPS mirrors of the gzipped IDX files, tried in turn for each file, and, for MNIST,
 * Keras' own mnist.npz download first. When nothing comes back the error names the first few URLs
 * that failed and why.
 */
final class MirrorSource implements Source {
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
        if (DataFetcher.sha256(npz).equals(DatasetSpec.KERAS_NPZ_SHA256)) {
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
        errors.add(DatasetSpec.KERAS_NPZ_URL + ": " + DataFetcher.oneLine(e));
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
          errors.add(url + ": " + DataFetcher.oneLine(e));
        }
      }
    }
    if (out.isEmpty() && !errors.isEmpty()) {
      throw new IOException(
          String.join("; ", errors.subList(0, Math.min(3, errors.size())))
              + (errors.size() > 3 ? "; ..." : ""));
    }
    return out;
  }
}
