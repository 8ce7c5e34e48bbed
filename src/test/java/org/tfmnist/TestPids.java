package org.tfmnist;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Process ids for tests of what a dead process left behind. */
public final class TestPids {

  private TestPids() {}

  /** A process id no process has: one that ran and ended. */
  public static long dead() throws IOException {
    Process p = new ProcessBuilder("true").start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        throw new IOException("'true' did not end within 30 s");
      }
      return p.pid();
    } catch (InterruptedException e) {
      throw new IOException(e);
    } finally {
      p.destroyForcibly();
    }
  }
}
