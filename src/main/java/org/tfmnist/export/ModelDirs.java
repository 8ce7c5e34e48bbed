package org.tfmnist.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** TF Serving's layout: {@code models/<name>/<version>/} with numeric versions, highest served. */
public final class ModelDirs {

  private ModelDirs() {}

  /** {@code dir} itself if it holds a SavedModel, else its highest numeric version. */
  public static Path resolveVersion(Path dir) {
    if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      return dir;
    }
    if (!Files.isDirectory(dir)) {
      throw new ExportException(dir + ": no such model directory");
    }
    OptionalLong v = highestVersion(dir);
    if (v.isEmpty()) {
      throw new ExportException(
          dir
              + ": not a SavedModel (no saved_model.pb) and no numbered "
              + "version directories in it");
    }
    return dir.resolve(Long.toString(v.getAsLong()));
  }

  /** The highest version directory holding a saved_model.pb. */
  public static OptionalLong highestVersion(Path modelDir) {
    List<Long> v = versions(modelDir);
    return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(v.get(0));
  }

  /**
   * The complete versions of a model, newest first: numeric directories holding a saved_model.pb
   * (an export in progress is a hidden {@code .N.tmp-*} directory, never one).
   */
  public static List<Long> versions(Path modelDir) {
    if (!Files.isDirectory(modelDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(modelDir)) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{1,18}"))
          .filter(p -> Files.isRegularFile(p.resolve("saved_model.pb")))
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .sorted(java.util.Comparator.reverseOrder())
          .toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ExportException(modelDir + ": cannot list: " + e.getMessage(), e);
    }
  }

  /**
   * The exported model with the best test accuracy (from its assets.extra/training.json) among the
   * highest versions under {@code modelsDir}; without metadata, the newest export.
   */
  public static java.util.Optional<Path> best(Path modelsDir) {
    if (!Files.isDirectory(modelsDir)) {
      return java.util.Optional.empty();
    }
    Path best = null;
    double bestAcc = -1;
    long bestTime = Long.MIN_VALUE;
    try (Stream<Path> s = Files.list(modelsDir)) {
      for (Path m : s.filter(Files::isDirectory).sorted().toList()) {
        OptionalLong v = highestVersion(m);
        if (v.isEmpty()) {
          continue;
        }
        Path dir = m.resolve(Long.toString(v.getAsLong()));
        double acc = testAccuracy(dir);
        long time = dir.resolve("saved_model.pb").toFile().lastModified();
        if (acc > bestAcc || (acc == bestAcc && time > bestTime)) {
          best = dir;
          bestAcc = acc;
          bestTime = time;
        }
      }
    } catch (IOException e) {
      throw new ExportException(modelsDir + ": cannot list: " + e.getMessage(), e);
    }
    return java.util.Optional.ofNullable(best);
  }

  /** The test accuracy recorded with an export, or 0 when it has none. */
  static double testAccuracy(Path versionDir) {
    Path meta = versionDir.resolve("assets.extra/training.json");
    try {
      if (Files.isRegularFile(meta)) {
        java.util.Map<String, Object> m =
            com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(Files.readString(meta));
        Object a = m.get("test_accuracy");
        Object n = m.get("test_images");
        // a figure on a slice of the test set does not compete with full-test-set figures
        if (a instanceof Number acc && n instanceof Number cnt && cnt.intValue() >= 10000) {
          return acc.doubleValue();
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable metadata: no figure
    }
    return 0;
  }

  /** The version a new export takes: one more than the highest present, or 1. */
  public static long nextVersion(Path modelDir) {
    if (!Files.isDirectory(modelDir)) {
      return 1;
    }
    try (Stream<Path> s = Files.list(modelDir)) {
      return s.map(p -> p.getFileName().toString())
              .filter(n -> n.matches("\\d{1,18}"))
              .mapToLong(Long::parseLong)
              .max()
              .orElse(0)
          + 1;
    } catch (IOException e) {
      throw new ExportException(modelDir + ": cannot list: " + e.getMessage(), e);
    }
  }
}
