package org.tfmnist.serve;

import java.util.concurrent.CompletableFuture;
import org.tfmnist.export.Outputs;

/**
 * Runs images through a model version: {@link Batcher} merges concurrent requests into one session
 * run; {@link Direct} runs each request alone, on the request's thread.
 */
interface Scheduler extends AutoCloseable {

  /** A request's outputs and the time of the session run(s) that computed them. */
  record Result(Outputs outputs, long runMicros) {}

  /** What a scheduler runs: one session run of a loaded model, images in, every output out. */
  interface Runner {
    Outputs run(float[] pixels, int count);
  }

  /**
   * Schedules {@code count} images (784 floats each). Fails at once with a {@link ServeException}
   * when the queue is full or the version is being unloaded.
   */
  CompletableFuture<Result> submit(float[] pixels, int count);

  /** Stops taking requests, finishes or fails what is queued, and returns when no run is left. */
  @Override
  void close();

  /** No batching: every request is its own session run, on the request's thread. */
  final class Direct implements Scheduler {
    private final Runner model;

    Direct(Runner model) {
      this.model = model;
    }

    @Override
    public CompletableFuture<Result> submit(float[] pixels, int count) {
      long t0 = System.nanoTime();
      try {
        Outputs out = model.run(pixels, count);
        return CompletableFuture.completedFuture(new Result(out, (System.nanoTime() - t0) / 1000));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void close() {}
  }
}
