package org.tfmnist.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.tfmnist.data.Mnist;
import org.tfmnist.export.Outputs;

/**
 * Dynamic batching, as TF Serving's batching session does it: requests wait in a bounded queue; a
 * batch thread takes the oldest and keeps adding requests until {@code maxBatchSize} images are in
 * hand or {@code batchTimeoutMicros} has passed since the oldest arrived, then runs them all in one
 * session run and hands each request its rows. A request larger than the maximum is split into
 * several tasks and joined again. A full queue refuses new requests ({@code QUEUE_FULL}, which a
 * retry may pass); a request larger than the whole queue, which could never be taken, is {@code
 * TOO_LARGE}.
 */
final class Batcher implements Scheduler {

  private final Runner model;
  private final int maxBatchSize;
  private final long timeoutNanos;
  private final int maxQueuedImages;
  private final Metrics metrics;
  private final String poolName;
  private final List<Thread> threads = new ArrayList<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private int queuedImages;
  private boolean closed;

  private record Task(float[] pixels, int count, long enqueued, CompletableFuture<Result> future) {}

  /**
   * @param maxEnqueuedBatches how many full batches may wait (TF Serving's max_enqueued_batches);
   *     the queue holds that many times {@code maxBatchSize} images
   */
  Batcher(
      String poolName,
      Runner model,
      int maxBatchSize,
      long batchTimeoutMicros,
      int maxEnqueuedBatches,
      int numThreads,
      Metrics metrics) {
    this.poolName = poolName;
    this.model = model;
    this.maxBatchSize = maxBatchSize;
    this.timeoutNanos = TimeUnit.MICROSECONDS.toNanos(batchTimeoutMicros);
    this.maxQueuedImages = Math.multiplyExact(maxEnqueuedBatches, maxBatchSize);
    this.metrics = metrics;
    for (int i = 0; i < numThreads; i++) {
      threads.add(DaemonThreads.start("batch-" + poolName + "-" + i, this::loop));
    }
  }

  @Override
  public CompletableFuture<Result> submit(float[] pixels, int count) {
    if (count > maxQueuedImages) {
      // would not fit even in an empty queue: QUEUE_FULL would invite a retry that cannot succeed
      throw ServeException.tooLarge(
          "the request has "
              + count
              + " images; this server takes at most "
              + maxQueuedImages
              + " images per request (the batching queue's size: "
              + maxQueuedImages / maxBatchSize
              + " batches of "
              + maxBatchSize
              + ")");
    }
    if (count <= maxBatchSize) {
      return enqueue(List.of(new Task(pixels, count, System.nanoTime(), new CompletableFuture<>())))
          .get(0);
    }
    List<Task> parts = new ArrayList<>();
    long now = System.nanoTime();
    for (int start = 0; start < count; start += maxBatchSize) {
      int n = Math.min(maxBatchSize, count - start);
      float[] part = new float[n * Mnist.PIXELS];
      System.arraycopy(pixels, start * Mnist.PIXELS, part, 0, part.length);
      parts.add(new Task(part, n, now, new CompletableFuture<>()));
    }
    List<CompletableFuture<Result>> futures = enqueue(parts);
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<Outputs> outs = new ArrayList<>();
              long micros = 0;
              for (CompletableFuture<Result> f : futures) {
                Result r = f.join();
                outs.add(r.outputs());
                micros += r.runMicros();
              }
              return new Result(Outputs.concat(outs), micros);
            });
  }

  /** Enqueues all the tasks or none. */
  private List<CompletableFuture<Result>> enqueue(List<Task> tasks) {
    int images = tasks.stream().mapToInt(Task::count).sum();
    lock.lock();
    try {
      if (closed) {
        throw new ServeException(
            ServeException.Reason.UNLOADING, "this model version is being unloaded; retry");
      }
      if (queuedImages + images > maxQueuedImages) {
        throw new ServeException(
            ServeException.Reason.QUEUE_FULL,
            "The batch scheduling queue to which this task was "
                + "submitted is full ("
                + queuedImages
                + " images waiting, at most "
                + maxQueuedImages
                + ")");
      }
      queue.addAll(tasks);
      queuedImages += images;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    return tasks.stream().map(Task::future).toList();
  }

  private void loop() {
    while (true) {
      List<Task> batch = new ArrayList<>();
      int n = 0;
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) {
          notEmpty.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return; // closed and drained
        }
        long deadline = queue.peekFirst().enqueued() + timeoutNanos;
        while (!closed && queuedImages < maxBatchSize) {
          long wait = deadline - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          try {
            notEmpty.awaitNanos(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
          if (queue.isEmpty()) {
            break; // another batch thread took them
          }
        }
        while (!queue.isEmpty() && n + queue.peekFirst().count() <= maxBatchSize) {
          Task t = queue.pollFirst();
          queuedImages -= t.count();
          if (!t.future().isDone()) { // a caller that gave up (timeout) is skipped
            batch.add(t);
            n += t.count();
          }
        }
        if (!queue.isEmpty()) {
          notEmpty.signal(); // more for another batch thread
        }
      } finally {
        lock.unlock();
      }
      if (!batch.isEmpty()) {
        run(batch, n);
      }
    }
  }

  private void run(List<Task> batch, int n) {
    long start = System.nanoTime();
    for (Task t : batch) {
      metrics.queuingLatency.observe((start - t.enqueued()) / 1000.0, poolName);
    }
    metrics.batchSize.observe(n, poolName);
    float[] pixels;
    if (batch.size() == 1) {
      pixels = batch.get(0).pixels();
    } else {
      pixels = new float[n * Mnist.PIXELS];
      int at = 0;
      for (Task t : batch) {
        System.arraycopy(t.pixels(), 0, pixels, at, t.pixels().length);
        at += t.pixels().length;
      }
    }
    Outputs out;
    try {
      out = model.run(pixels, n);
    } catch (RuntimeException e) {
      batch.forEach(t -> t.future().completeExceptionally(e));
      return;
    }
    long micros = (System.nanoTime() - start) / 1000;
    int row = 0;
    for (Task t : batch) {
      t.future().complete(new Result(out.slice(row, t.count()), micros));
      row += t.count();
    }
  }

  /** Images waiting now (for tests). */
  int queuedImages() {
    lock.lock();
    try {
      return queuedImages;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread t : threads) {
      boolean interrupted = false;
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
