package org.tfmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.tfmnist.util.FileModes;

/**
 * The modes a process's umask gives new files and directories, read from /proc/self/status as Linux
 * states it (tests of modes are skipped where it does not), and assertions that what a command
 * wrote has them.
 */
public final class TestModes {

  private TestModes() {}

  /** This JVM's umask; skips the test where it cannot be read. */
  public static int umask() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      String line = lines.filter(l -> l.startsWith("Umask:")).findFirst().orElse(null);
      Assumptions.assumeTrue(line != null, "the kernel does not state the umask");
      return Integer.parseInt(line.substring(6).strip(), 8);
    } catch (IOException e) {
      Assumptions.abort("no /proc/self/status: " + e.getMessage());
      return 0;
    }
  }

  /** A file's or directory's permission bits, such as 0644. */
  public static int mode(Path p) throws IOException {
    return FileModes.bits(Files.getPosixFilePermissions(p));
  }

  /**
   * Every directory under {@code top} (itself included) is 0777 and every file 0666 less {@code
   * umask}.
   */
  public static void assertTree(Path top, int umask) throws IOException {
    try (Stream<Path> s = Files.walk(top)) {
      for (Path p : s.toList()) {
        int expected = (Files.isDirectory(p) ? 0777 : 0666) & ~umask;
        assertEquals(
            Integer.toOctalString(expected),
            Integer.toOctalString(mode(p)),
            p + " under umask 0" + Integer.toOctalString(umask));
      }
    }
  }
}
