package org.tfmnist.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tfmnist.data.BadInputException;
import org.tfmnist.util.ErrorReason;
import org.tfmnist.util.Writable;

/**
 * Where a command will write, checked before it does any work, so that a bad path is one line (exit
 * 1) at the start rather than a stack trace at the end.
 */
final class OutputPaths {

  private OutputPaths() {}

  /** A directory to write files into: created if missing; it must be a writable directory. */
  static void directory(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw BadInputException.of(dir, "exists and is not a directory");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw BadInputException.of(dir, "cannot create the directory: " + ErrorReason.of(e));
    }
    Writable.problem(dir, 0)
        .ifPresent(
            p -> {
              throw new BadInputException(p);
            });
  }

  /** A file to write (replaced if it exists): not a directory, in a writable directory. */
  static void file(Path file) {
    if (Files.isDirectory(file)) {
      throw BadInputException.of(file, "is a directory");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw BadInputException.of(parent, "no such directory");
    }
    if (parent != null) {
      Writable.problem(parent, 0)
          .ifPresent(
              p -> {
                throw new BadInputException(p);
              });
    }
  }

  /**
   * A file to write whose missing directories the writer makes (show's pictures): not a directory,
   * under a writable directory.
   */
  static void fileInNewDirectories(Path file) {
    if (Files.isDirectory(file)) {
      throw BadInputException.of(file, "is a directory");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Writable.problem(parent, 0)
          .ifPresent(
              p -> {
                throw new BadInputException(p);
              });
    }
  }
}
