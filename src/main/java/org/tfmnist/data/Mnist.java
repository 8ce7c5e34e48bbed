package org.tfmnist.data;

import java.nio.file.Path;
import java.util.Optional;

/**
 * MNIST in one call, as {@code keras.datasets.mnist.load_data()}: the verified copy under {@code
 * data/mnist}, fetched and checksummed there first when missing (the sources {@code tf-mnist data}
 * uses). The splits hold the raw 28x28 grey levels and labels; models scale them by 1/255.
 */
public final class Mnist {

  /** The side of an MNIST image, in pixels. */
  public static final int SIDE = 28;

  /** The pixels of an MNIST image, row after row: the floats one image takes. */
  public static final int PIXELS = SIDE * SIDE;

  /** The classes: the ten digits (or Fashion-MNIST's ten kinds of clothing). */
  public static final int CLASSES = 10;

  /** Where the data goes by default, relative to the working directory (as the CLI's). */
  public static final Path DEFAULT_DATA_DIR = Path.of("data");

  private Mnist() {}

  /** MNIST's training and test splits from {@code data/}. */
  public static Datasets.Splits load() {
    return load(DEFAULT_DATA_DIR);
  }

  /** MNIST's training and test splits from {@code dataDir} ({@code dataDir/mnist}). */
  public static Datasets.Splits load(Path dataDir) {
    return Datasets.load(DataFetcher.standard(dataDir, Optional.empty()), DatasetSpec.MNIST);
  }

  /** Fashion-MNIST (Keras' {@code fashion_mnist.load_data()}) from {@code data/}. */
  public static Datasets.Splits loadFashion() {
    return loadFashion(DEFAULT_DATA_DIR);
  }

  /** Fashion-MNIST from {@code dataDir} ({@code dataDir/fashion}). */
  public static Datasets.Splits loadFashion(Path dataDir) {
    return Datasets.load(DataFetcher.standard(dataDir, Optional.empty()), DatasetSpec.FASHION);
  }
}
