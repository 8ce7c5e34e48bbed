package org.tfmnist.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.tfmnist.data.BadInputException;
import org.tfmnist.runtime.ServingModel;

/**
 * The SavedModels of this JVM, loaded once each and shared by every task that runs here: loading
 * one takes a session, its graph and its weights (a few hundred milliseconds), which a task of a
 * few dozen pictures must not pay again. Keyed by the model directory as the job names it; closed
 * by a shutdown hook when the executor (or the local driver) exits, since Spark has no per-JVM
 * teardown callback.
 */
final class ModelHolder {

  private static final Map<String, ServingModel> MODELS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ModelHolder::closeAll, "tf-mnist-spark-models"));
  }

  private ModelHolder() {}

  /** The model {@code dir} names, loaded on first use in this JVM. */
  static ServingModel get(String dir) {
    // computeIfAbsent holds the key while the model loads: two tasks starting together on one
    // executor wait for the same load instead of loading it twice
    return MODELS.computeIfAbsent(dir, d -> ServingModel.load(locate(d)));
  }

  /**
   * Where {@code dir} is in this JVM: a local path (a shared file system, or the working directory
   * where YARN and Kubernetes unpack {@code --archives model.zip#model}); else a file or archive
   * Spark distributed with {@code --files}/{@code --archives}, which local and standalone mode put
   * under SparkFiles' root instead.
   */
  static Path locate(String dir) {
    Path p = Path.of(dir);
    if (Files.isDirectory(p)) {
      return p;
    }
    if (SparkEnv.get() != null && !p.isAbsolute()) {
      Path shipped = Path.of(SparkFiles.get(dir));
      if (Files.isDirectory(shipped)) {
        return shipped;
      }
    }
    throw new BadInputException(dir + ": no such model directory");
  }

  /** Closes every model; the shutdown hook's job, and the driver's at the end of a local run. */
  static void closeAll() {
    for (String k : MODELS.keySet()) {
      ServingModel m = MODELS.remove(k);
      if (m != null) {
        m.close();
      }
    }
  }
}
