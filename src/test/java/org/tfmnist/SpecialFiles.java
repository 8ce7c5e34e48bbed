package org.tfmnist;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Inputs that are not ordinary small files: FIFOs, and huge files that take no disk. */
public final class SpecialFiles {

  private SpecialFiles() {}

  /** A FIFO at {@code p}, made with mkfifo; the calling test is skipped where there is none. */
  public static Path fifo(Path p) throws InterruptedException {
    assumeTrue(tryFifo(p), "no mkfifo here");
    return p;
  }

  /** Makes a FIFO at {@code p} with mkfifo; false where that cannot be done. */
  public static boolean tryFifo(Path p) throws InterruptedException {
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return false;
    }
    try {
      return mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0;
    } finally {
      mk.destroyForcibly();
    }
  }

  /**
   * A sparse file of {@code length} bytes starting with {@code head}, zeros after it: "a 3 GB file"
   * in a few KB of disk.
   */
  public static Path sparse(Path p, long length, byte[] head) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.write(head);
      f.setLength(length);
    }
    return p;
  }
}
