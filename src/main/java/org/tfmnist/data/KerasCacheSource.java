package org.tfmnist.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tfmnist.data.DatasetSpec.FileSpec;

/**
 * Keras' cache of MNIST, {@code ~/.keras/datasets/mnist.npz}: used only when its SHA-256 is the one
 * Keras publishes, its four arrays are turned back into the IDX files MNIST is distributed as. The
 * npz-to-IDX conversion also serves the other sources that meet an mnist.npz.
 */
final class KerasCacheSource implements Source {
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
    String sha = DataFetcher.sha256(npz);
    if (!sha.equals(DatasetSpec.KERAS_NPZ_SHA256)) {
      throw new IOException(
          "SHA-256 "
              + sha.substring(0, 12)
              + "... is not Keras' mnist.npz ("
              + DatasetSpec.KERAS_NPZ_SHA256.substring(0, 12)
              + "...)");
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
