package org.tfmnist.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a directory all at once: its contents go into a temporary sibling directory that is
 * renamed into place when complete, so a reader (or a process killed half-way) never sees a
 * half-written SavedModel or checkpoint.
 */
public final class AtomicDir {

  /** Fills the temporary directory. */
  @FunctionalInterface
  public interface Filler {
    void fill(Path dir) throws IOException;
  }

  private AtomicDir() {}

  /**
   * Creates {@code target} with what {@code filler} writes. An existing {@code target} is
   * replaced only if {@code replace}; otherwise it is an {@link IOException}.
   */
  public static void write(Path target, boolean replace, Filler filler) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    if (!replace && Files.exists(target)) {
      throw new java.nio.file.FileAlreadyExistsException(target.toString());
    }
    String base = "." + target.getFileName();
    Path tmp = Files.createTempDirectory(parent, base + ".tmp-");
    try {
      filler.fill(tmp);
      if (replace && Files.exists(target)) {
        Path old = Files.createTempDirectory(parent, base + ".old-");
        Files.move(target, old.resolve("x"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
      } else {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      tmp = null;
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  /** Deletes a file or a directory tree, as far as it can. */
  public static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.deleteIfExists(x);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
