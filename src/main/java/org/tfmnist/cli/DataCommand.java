package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.tfmnist.data.Datasets;
import org.tfmnist.data.LabeledImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tf-mnist data}: fetch and verify a data set, and describe it. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description =
        "Fetch the data set (if needed), verify every file's SHA-256, and print its "
            + "sizes and class counts.")
final class DataCommand implements Callable<Integer> {

  @Mixin DataOptions data;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    data.validate(spec);
    Path dir = data.fetcher().ensure(data.spec());
    Datasets.Splits s = Datasets.read(dir, data.spec());
    System.out.println(data.spec().title() + " in " + dir + " (SHA-256 verified)");
    describe("train", s.train());
    describe("test", s.test());
    return 0;
  }

  private static void describe(String name, LabeledImages d) {
    System.out.printf(
        "  %-5s %,6d images of %dx%d; per class %s%n",
        name, d.count(), d.rows(), d.cols(), Arrays.toString(d.classCounts()));
  }
}
