package org.tfmnist.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a file under a temporary name beside it and renames it into place, with the mode the umask
 * gives a new file. The temporary name carries the writer's process id ({@code
 * .NAME.tmp-PID-RANDOM.part}), so that the leftover of a writer killed mid-write is told from a
 * live writer's: the first write into a directory removes the leftovers of dead processes there.
 */
public final class AtomicFile {

  /** Directories already cleaned by this process: a leftover appears only when a process dies. */
  private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

  private AtomicFile() {}

  public static void write(Path target, byte[] bytes) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    if (CLEANED.add(parent)) {
      AtomicDir.removeStale(parent);
    }
    String pid = Long.toString(ProcessHandle.current().pid());
    Path tmp =
        Files.createTempFile(parent, "." + target.getFileName() + ".tmp-" + pid + "-", ".part");
    try {
      Files.write(tmp, bytes);
      FileModes.asCreated(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
