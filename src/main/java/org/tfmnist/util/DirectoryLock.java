package org.tfmnist.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One process at a time in a directory: an OS lock on {@code .lock} inside it, which goes with the
 * process however it ends (a killed run leaves no stale lock behind).
 */
public final class DirectoryLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes {@code dir} (created if missing) for this process; empty when another process, or this
   * one, holds it already.
   */
  public static Optional<DirectoryLock> tryTake(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel ch =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      return Optional.empty();
    }
    return Optional.of(new DirectoryLock(ch, lock));
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
