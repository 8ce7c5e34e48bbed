package org.tfmnist.serve;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tfmnist.data.BadInputException;
import org.tfmnist.util.ErrorReason;

/**
 * {@code --access-log}: one JSON line a request, as its answer goes out: when it arrived, its
 * {@code X-Request-Id}, method, path, status, the model, version and images when a model answered
 * it, latency, bytes in and out, and the client. Lines go through a bounded queue to one writer
 * thread, so a slow disk never holds a request: when the queue is full a line is dropped and
 * counted, and the count is reported on the server's log when it stops.
 */
public final class AccessLog implements AutoCloseable {

  /** Lines waiting for the writer; beyond this many, the disk is behind and lines are dropped. */
  private static final int QUEUE = 16_384;

  /** One request, as the HTTP layer saw it. */
  record Entry(
      long arrivedMillis,
      String id,
      String method,
      String path,
      int status,
      Response.Served served,
      long latencyMicros,
      long bytesIn,
      long bytesOut,
      String client,
      String forwardedFor) {}

  private static final byte[] STOP = new byte[0];

  private final String target;
  private final OutputStream out;
  private final BlockingQueue<byte[]> lines = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;

  private AccessLog(String target, OutputStream out) {
    this.target = target;
    this.out = out;
    this.writer = DaemonThreads.start("access-log", this::drain);
  }

  /**
   * Opens {@code target} for appending ({@code -}: standard output). A file that cannot be opened
   * is a {@link BadInputException} naming it and why, before any model is loaded.
   */
  public static AccessLog open(String target) {
    if (target.equals("-")) {
      return new AccessLog(target, System.out);
    }
    Path file = Path.of(target);
    try {
      return new AccessLog(
          target,
          new BufferedOutputStream(
              Files.newOutputStream(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND,
                  StandardOpenOption.WRITE)));
    } catch (IOException e) {
      throw new BadInputException(
          "--access-log " + target + ": cannot open it for appending: " + ErrorReason.of(e));
    }
  }

  /** Queues the line of {@code e}; drops it (and counts it) when the writer is that far behind. */
  void record(Entry e) {
    if (!lines.offer(line(e))) {
      dropped.incrementAndGet();
    }
  }

  static byte[] line(Entry e) {
    byte[] json =
        Json.compact(
            g -> {
              g.writeStartObject();
              g.writeStringField("time", Instant.ofEpochMilli(e.arrivedMillis()).toString());
              g.writeStringField("id", e.id());
              g.writeStringField("method", e.method());
              g.writeStringField("path", e.path());
              g.writeNumberField("status", e.status());
              if (e.served() != null) {
                g.writeStringField("model", e.served().model());
                g.writeNumberField("version", e.served().version());
                g.writeNumberField("images", e.served().images());
              }
              g.writeNumberField("latency_ms", e.latencyMicros() / 1000.0);
              g.writeNumberField("bytes_in", e.bytesIn());
              g.writeNumberField("bytes_out", e.bytesOut());
              g.writeStringField("client", e.client());
              if (e.forwardedFor() != null) {
                g.writeStringField("forwarded_for", e.forwardedFor());
              }
              g.writeEndObject();
            });
    byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
    withNewline[json.length] = '\n';
    return withNewline;
  }

  /** The writer thread: writes what is queued, flushing whenever the queue runs dry. */
  private void drain() {
    try {
      while (true) {
        byte[] l = lines.take();
        if (l == STOP) {
          break;
        }
        out.write(l);
        if (lines.isEmpty()) {
          out.flush();
        }
      }
      out.flush();
    } catch (IOException e) {
      System.err.println(
          "tf-mnist: warning: --access-log " + target + ": " + ErrorReason.of(e) + "; not logging");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued, then closes the file (standard output stays open). */
  @Override
  public void close() {
    try {
      // bounded: a writer that died on a disk error drains nothing, and a full queue must not hang
      // the shutdown
      lines.offer(STOP, 10, TimeUnit.SECONDS);
      writer.join(TimeUnit.SECONDS.toMillis(10));
      if (!target.equals("-")) {
        out.close();
      } else {
        out.flush();
      }
    } catch (IOException e) {
      // the lines were flushed or the error was reported by the writer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Says on the server's log how many lines were dropped, if any were. */
  void reportDropped(PrintStream log) {
    long n = dropped.get();
    if (n > 0) {
      log.println("access log: " + n + " lines dropped (the disk was slower than the requests)");
    }
  }
}
