package org.tfmnist.data;

import java.nio.file.Path;

/** Loads a data set's train and test splits, fetching and verifying the files first. */
public final class Datasets {

  private Datasets() {}

  /** The two splits of a data set. */
  public record Splits(DatasetSpec spec, LabeledImages train, LabeledImages test) {}

  /**
   * Fetches the data set's four files where they are missing (checking every file's SHA-256), then
   * reads both splits.
   */
  public static Splits load(DataFetcher fetcher, DatasetSpec ds) {
    Path dir = fetcher.ensure(ds);
    return read(dir, ds);
  }

  /** Reads the four files from {@code dir} (no fetching, no checksum). */
  public static Splits read(Path dir, DatasetSpec ds) {
    LabeledImages train =
        Idx.load(dir.resolve(ds.trainImages().name()), dir.resolve(ds.trainLabels().name()));
    LabeledImages test =
        Idx.load(dir.resolve(ds.testImages().name()), dir.resolve(ds.testLabels().name()));
    return new Splits(ds, train, test);
  }
}
