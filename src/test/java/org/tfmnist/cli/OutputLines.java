package org.tfmnist.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A child process's output, line by line as it comes, read by a thread of its own (so a test can
 * wait for a line with a deadline); {@link #EOF} follows the last line.
 */
final class OutputLines {

  /** Sent after the last line (compared by identity: no line of output is this object). */
  static final String EOF = new String("<end of output>");

  final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  OutputLines(Process p) {
    reader = new Thread(() -> readAll(p), "child-output");
    reader.setDaemon(true);
    reader.start();
  }

  private void readAll(Process p) {
    try (BufferedReader r = p.inputReader()) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        lines.add(l);
      }
    } catch (IOException e) {
      lines.add("(reading the output failed: " + e + ")");
    } finally {
      lines.add(EOF);
    }
  }

  /** Waits at most {@code millis} for the output to end. */
  void join(long millis) throws InterruptedException {
    reader.join(millis);
  }
}
