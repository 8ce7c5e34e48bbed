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
 * half-written SavedModel or checkpoint. Temporary directories carry their writer's process id
 * ({@code .NAME.tmp-PID-RANDOM}); those of a writer that died (a kill -9 mid-write) are removed by
 * the next write in the same directory, those of a live one never. The directory gets the mode the
 * umask gives a new one (Java creates temporary directories 0700), so that a server running as
 * another user can read an exported model.
 */
public final class AtomicDir {

  /** Fills the temporary directory. */
  @FunctionalInterface
  public interface Filler {
    void fill(Path dir) throws IOException;
  }

  private AtomicDir() {}

  /**
   * Creates {@code target} with what {@code filler} writes. An existing {@code target} is replaced
   * only if {@code replace}; otherwise it is an {@link IOException}.
   */
  public static void write(Path target, boolean replace, Filler filler) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    removeStale(parent);
    if (!replace && Files.exists(target)) {
      throw new java.nio.file.FileAlreadyExistsException(target.toString());
    }
    String base = "." + target.getFileName();
    String pid = Long.toString(ProcessHandle.current().pid());
    Path tmp = Files.createTempDirectory(parent, base + ".tmp-" + pid + "-");
    try {
      FileModes.asCreated(tmp);
      filler.fill(tmp);
      if (replace && Files.exists(target)) {
        Path old = Files.createTempDirectory(parent, base + ".old-" + pid + "-");
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

  private static final java.util.regex.Pattern TEMP =
      java.util.regex.Pattern.compile("\\..+\\.(?:tmp|old)-(\\d{1,10})-.*");

  /** A temporary directory's segment in a path: {@code /.NAME.tmp-PID-RANDOM}. */
  private static final java.util.regex.Pattern TEMP_SEGMENT =
      java.util.regex.Pattern.compile("/\\.([^/]+)\\.(?:tmp|old)-\\d{1,10}-[^/]*");

  /**
   * {@code path} with each temporary directory named as the directory it becomes: what a user
   * recognises in a message about a write that failed (the temporary one is gone by then).
   */
  public static String realName(String path) {
    return TEMP_SEGMENT.matcher(path).replaceAll("/$1");
  }

  /**
   * Removes the temporary directories and files ({@link AtomicFile}'s) under {@code dir} whose
   * writer process is gone; returns how many. Those of live processes (another export, another
   * training, another fetch) are left alone.
   */
  public static int removeStale(Path dir) {
    int removed = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        java.util.regex.Matcher m = TEMP.matcher(p.getFileName().toString());
        if (m.matches()
                && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true)
            || isOldUnownedPart(p)) {
          deleteTree(p);
          removed++;
        }
      }
    } catch (IOException e) {
      // nothing to clean
    }
    return removed;
  }

  /** The name earlier versions gave a file being written: {@code .NAME} then digits, no pid. */
  private static final java.util.regex.Pattern UNOWNED_PART =
      java.util.regex.Pattern.compile("\\..+\\d{6,}\\.part");

  /**
   * A {@code .part} file of an earlier version, which did not record its writer: left a day
   * untouched, its writer is gone (a file of MNIST's size is written in seconds).
   */
  private static boolean isOldUnownedPart(Path p) {
    if (!UNOWNED_PART.matcher(p.getFileName().toString()).matches()) {
      return false;
    }
    try {
      return Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          && Files.getLastModifiedTime(p)
              .toInstant()
              .isBefore(java.time.Instant.now().minus(java.time.Duration.ofDays(1)));
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes a file or a directory tree, as far as it can. */
  public static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              x -> {
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
