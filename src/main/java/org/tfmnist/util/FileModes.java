package org.tfmnist.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The modes the process's umask gives new files (0666 less the umask) and directories (0777 less
 * the umask). Java's temporary files and directories are created 0600 and 0700 whatever the umask;
 * what is written under a temporary name and renamed into place (a SavedModel, a checkpoint, a data
 * file, a picture) is given these modes first, so that another user (TF Serving, a server run as
 * another account) can read it as it could read a file the shell made.
 */
public final class FileModes {

  private static volatile OptionalInt umask;

  private FileModes() {}

  /** The process's umask, or empty where it cannot be told (a platform without POSIX modes). */
  public static OptionalInt umask() {
    OptionalInt u = umask;
    if (u == null) {
      u = fromProc();
      if (u.isEmpty()) {
        u = probe();
      }
      umask = u;
    }
    return u;
  }

  /** Linux (since 4.7) states it; Java has no call that reads it without changing it. */
  private static OptionalInt fromProc() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Umask:")) {
          return OptionalInt.of(Integer.parseInt(line.substring(6).strip(), 8));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or an older kernel: probe
    }
    return OptionalInt.empty();
  }

  /** Elsewhere: a directory created without attributes gets 0777 less the umask. */
  private static OptionalInt probe() {
    Path dir =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            ".tf-mnist-umask-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      Files.createDirectory(dir);
      try {
        return OptionalInt.of(~bits(Files.getPosixFilePermissions(dir)) & 0777);
      } finally {
        Files.deleteIfExists(dir);
      }
    } catch (IOException | UnsupportedOperationException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * Gives {@code p} (a file or a directory) the mode the umask gives a new one; does nothing on a
   * file system without POSIX modes or where the umask cannot be told.
   */
  public static void asCreated(Path p) throws IOException {
    OptionalInt u = umask();
    if (u.isEmpty() || Files.getFileAttributeView(p, PosixFileAttributeView.class) == null) {
      return;
    }
    int full = Files.isDirectory(p) ? 0777 : 0666;
    Files.setPosixFilePermissions(p, permissions(full & ~u.getAsInt()));
  }

  /** The permission bits of a mode such as 0644. */
  public static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : PosixFilePermission.values()) {
      if ((mode & bit(p)) != 0) {
        s.add(p);
      }
    }
    return s;
  }

  /** The mode (such as 0644) of a set of permissions. */
  public static int bits(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission p : perms) {
      m |= bit(p);
    }
    return m;
  }

  /** OWNER_READ is 0400 ... OTHERS_EXECUTE 0001: the enum lists them in that order. */
  private static int bit(PosixFilePermission p) {
    return 0400 >> p.ordinal();
  }
}
