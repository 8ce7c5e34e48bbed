package org.tfmnist.serve;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.tfmnist.data.Mnist;
import org.tfmnist.export.ExportException;
import org.tfmnist.export.Outputs;
import org.tfmnist.runtime.ServingModel;

/**
 * One loaded version of a model: the SavedModel, warmed up, and the scheduler that runs it.
 * Requests hold a reference while they use it; the registry holds one while the version is served.
 * The SavedModel is closed only when the last reference is gone, after the scheduler has run what
 * it holds, so TensorFlow's {@code Session.close()} never races a {@code run()}.
 */
final class ModelVersion {

  final String name;
  final long version;
  final Path dir;
  final ServingModel savedModel;
  private final Scheduler scheduler;

  /** Requests using it, plus one for the registry while served; -1 once closed. */
  private final AtomicInteger refs = new AtomicInteger(1);

  private final long warmUpMillis;

  private ModelVersion(
      String name,
      long version,
      Path dir,
      ServingModel savedModel,
      Scheduler scheduler,
      long warmUpMillis) {
    this.name = name;
    this.version = version;
    this.dir = dir;
    this.savedModel = savedModel;
    this.scheduler = scheduler;
    this.warmUpMillis = warmUpMillis;
  }

  /**
   * Loads {@code dir}, checks that every output can be returned as JSON, and runs it once at every
   * batch size it may see, so that the first requests find TensorFlow's kernels ready.
   */
  static ModelVersion load(String name, long version, Path dir, ServeConfig cfg, Metrics metrics) {
    ServingModel m = ServingModel.load(dir, cfg.session());
    try {
      for (Outputs.Spec o : m.outputs()) {
        if (!o.numeric()) {
          throw new ExportException(
              dir
                  + ": output '"
                  + o.key()
                  + "' is "
                  + o.dtype()
                  + "; only numeric outputs can be served as JSON");
        }
      }
      long t0 = System.nanoTime();
      int largest = cfg.batching() ? cfg.maxBatchSize() : 1;
      for (int n = 1; ; n = Math.min(largest, n * 2)) {
        m.run(new float[n * Mnist.PIXELS], n);
        if (n == largest) {
          break;
        }
      }
      long warm = (System.nanoTime() - t0) / 1_000_000;
      Scheduler s =
          cfg.batching()
              ? new Batcher(
                  name,
                  m::run,
                  cfg.maxBatchSize(),
                  cfg.batchTimeoutMicros(),
                  cfg.maxEnqueuedBatches(),
                  cfg.numBatchThreads(),
                  metrics)
              : new Scheduler.Direct(m::run);
      return new ModelVersion(name, version, dir, m, s, warm);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  long warmUpMillis() {
    return warmUpMillis;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  /** Takes a reference; false when the version is already closing. */
  boolean acquire() {
    while (true) {
      int r = refs.get();
      if (r <= 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  /** Gives a reference back; the last one closes the version. */
  void release() {
    if (refs.decrementAndGet() == 0 && refs.compareAndSet(0, -1)) {
      scheduler.close();
      savedModel.close();
    }
  }

  /** Whether it has been closed (every reference given back). */
  boolean closed() {
    return refs.get() < 0;
  }
}
