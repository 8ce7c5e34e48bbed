package org.tfmnist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.train.Model;
import org.tfmnist.train.Recipe;

/**
 * Small models trained once per test run on {@link TestData}'s 5,000 images and exported as
 * SavedModels: the Keras CNN example with Adam for 3 epochs (about 95 % on MNIST's test set) and
 * the MLP for 2 epochs. Tests copy them where they need them.
 */
public final class TestModels {

  private static Path cnn;
  private static Path mlp;

  private TestModels() {}

  /** A version directory holding the small CNN. */
  public static synchronized Path cnn() {
    if (cnn == null) {
      Preset p = Presets.cnn();
      cnn = train(p, p.recipe().withEpochs(3).withOptimizer(OptimizerSpec.adam()), "cnn");
    }
    return cnn;
  }

  /** A version directory holding the small MLP. */
  public static synchronized Path mlp() {
    if (mlp == null) {
      Preset p = Presets.mlp();
      mlp = train(p, p.recipe().withEpochs(2), "mlp");
    }
    return mlp;
  }

  private static Path train(Preset p, Recipe r, String name) {
    try (Model m = new Model(p.model(), 1, null)) {
      m.compile(r.optimizer(), r.loss());
      m.fit(TestData.train(), TestData.test(), r.epochs(), r.batchSize(), List.of());
      Path root = Files.createTempDirectory("tf-mnist-test-models");
      root.toFile().deleteOnExit();
      Path dir = root.resolve(name).resolve("1");
      m.export(dir, Map.of());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a SavedModel directory (a version) to {@code target}. */
  public static void copy(Path from, Path target) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path t = target.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
