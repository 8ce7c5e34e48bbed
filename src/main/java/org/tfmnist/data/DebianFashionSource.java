package org.tfmnist.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tfmnist.data.DatasetSpec.FileSpec;

/**
 * Debian's dataset-fashion-mnist package ({@code apt-get install dataset-fashion-mnist}): its
 * directory of gzipped IDX files, read like a local source, and only for Fashion-MNIST.
 */
final class DebianFashionSource implements Source {
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
