package org.tfmnist.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a directory can be written (created if missing) with room for {@code bytes} more: asked
 * before a long run starts, so that it does not fail at its very end.
 */
public final class Writable {

  private Writable() {}

  /** What stands in the way of writing {@code bytes} under {@code dir}, or empty. */
  public static Optional<String> problem(Path dir, long bytes) {
    Path p = dir.toAbsolutePath().normalize();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null) {
      return Optional.of(dir + ": no existing directory above it");
    }
    if (!Files.isDirectory(p)) {
      return Optional.of(p + ": not a directory");
    }
    if (!Files.isWritable(p)) {
      return Optional.of(p + ": not writable (permission denied)");
    }
    try {
      long free = Files.getFileStore(p).getUsableSpace();
      if (free < bytes) {
        return Optional.of(
            p
                + ": only "
                + free / 1_000_000
                + " MB free, about "
                + (bytes + 999_999) / 1_000_000
                + " MB needed");
      }
    } catch (IOException e) {
      // unknown free space: go ahead
    }
    return Optional.empty();
  }
}
