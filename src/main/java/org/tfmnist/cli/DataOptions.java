package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.tfmnist.data.DataFetcher;
import org.tfmnist.data.DatasetSpec;
import org.tfmnist.data.Datasets;
import picocli.CommandLine.Option;

/** Where the data comes from: shared by every command that reads MNIST. */
final class DataOptions {

  @Option(
      names = "--dataset",
      paramLabel = "mnist|fashion",
      description =
          "Data set: mnist (the default) or fashion (Fashion-MNIST, same format). "
              + "evaluate defaults to the data set the model was trained on.")
  String dataset;

  @Option(
      names = "--data-dir",
      defaultValue = "data",
      paramLabel = "DIR",
      description = "Where verified copies of the data live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--source",
      paramLabel = "DIR|NPZ",
      description =
          "A local directory with the IDX files (raw or .gz) or a Keras mnist.npz, "
              + "tried first (also: $"
              + DataFetcher.ENV_SOURCE
              + ").")
  Path source;

  void validate(picocli.CommandLine.Model.CommandSpec spec) {
    if (dataset != null) {
      Usage.oneOf(
          spec, "--dataset", dataset, java.util.List.of("mnist", "fashion", "fashion-mnist"));
    }
  }

  DatasetSpec spec() {
    return dataset == null ? DatasetSpec.MNIST : DatasetSpec.parse(dataset);
  }

  /** The --dataset given, else {@code fallback}. */
  void defaultTo(DatasetSpec fallback) {
    if (dataset == null && fallback != null) {
      dataset = fallback.id();
    }
  }

  DataFetcher fetcher() {
    return DataFetcher.standard(dataDir, Optional.ofNullable(source));
  }

  Datasets.Splits load() {
    return Datasets.load(fetcher(), spec());
  }
}
