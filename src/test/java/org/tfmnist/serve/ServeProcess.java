package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tfmnist.cli.ChildProcess;

/**
 * {@code tf-mnist serve} in a JVM of its own, for what only a process shows (signals, exit codes,
 * the command's own output, a thousand connections that stay out of the test's JVM): its output is
 * read by a thread as it comes (a full pipe would stall the server), {@link #url} waits for the
 * printed address with a deadline, and {@link #close} kills whatever is left and waits for it with
 * a limit.
 */
final class ServeProcess implements AutoCloseable {

  final Process process;
  private final StringBuilder output = new StringBuilder();
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  /** Starts {@code tf-mnist serve --models MODELS --port 0} followed by {@code flags}. */
  ServeProcess(Path models, String... flags) throws IOException {
    List<String> cmd = ChildProcess.javaMain();
    cmd.addAll(List.of("serve", "--models", models.toString(), "--port", "0"));
    cmd.addAll(List.of(flags));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread reader = new Thread(this::pump, "serve-output");
    reader.setDaemon(true);
    reader.start();
  }

  private void pump() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        synchronized (output) {
          output.append(l).append('\n');
        }
        lines.add(l);
      }
    } catch (IOException e) {
      // the process is gone; what it printed is kept
    }
  }

  /** The drawing page's address once the server prints it (fails after {@code seconds}). */
  URI url(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline && (process.isAlive() || !lines.isEmpty())) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l != null && l.startsWith("Drawing page: ")) {
        return URI.create(l.substring("Drawing page: ".length()).trim());
      }
    }
    assertTrue(false, "tf-mnist serve printed no URL within " + seconds + " s: " + output());
    return null;
  }

  /** Everything the process printed so far. */
  String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  /** Sends SIGTERM, as a service manager stops the server. */
  void terminate() {
    process.toHandle().destroy(); // Process.destroy() would also close our pipes
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
