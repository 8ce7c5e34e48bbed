package org.tfmnist.serve;

import java.nio.file.Path;
import org.tensorflow.proto.ConfigProto;

/**
 * How {@code tf-mnist serve} runs; the CLI validates every figure before anything starts.
 *
 * @param modelsDir every {@code <name>/<version>/} under it is served
 * @param host address to bind (127.0.0.1: this machine only)
 * @param port TCP port (0: any free one)
 * @param batching merge concurrent requests into one session run
 * @param maxBatchSize images per session run at most
 * @param batchTimeoutMicros how long the oldest request waits for others to join it
 * @param maxEnqueuedBatches how many full batches may wait; beyond that, 503
 * @param numBatchThreads threads running batches
 * @param numVersions how many of each model's newest versions are served
 * @param pollMillis how often the models directory is scanned for new versions (0: never)
 * @param maxBodyBytes largest request body, after gzip decoding too (larger: 413)
 * @param requestTimeoutMillis a request not answered by then gets 504
 * @param cors send {@code Access-Control-Allow-Origin: *} and answer preflights
 * @param graceMillis how long a shutdown waits for requests in flight
 * @param httpThreads threads running the routes (each waits for its batch)
 * @param idleTimeoutMillis a connection that sends or reads nothing for this long is closed (a
 *     request being answered is exempt: the request timeout bounds it)
 * @param maxConnections open connections at most; beyond that, new ones wait to be accepted
 * @param maxBodyMemory bytes of request bodies held at once, while they arrive and until they are
 *     answered; a request that would pass it now gets 503 (the CLI gives {@link
 *     #defaultBodyMemory})
 * @param session TensorFlow session options (threads), or null for TensorFlow's defaults
 */
public record ServeConfig(
    Path modelsDir,
    String host,
    int port,
    boolean batching,
    int maxBatchSize,
    long batchTimeoutMicros,
    int maxEnqueuedBatches,
    int numBatchThreads,
    int numVersions,
    long pollMillis,
    long maxBodyBytes,
    long requestTimeoutMillis,
    boolean cors,
    long graceMillis,
    int httpThreads,
    long idleTimeoutMillis,
    int maxConnections,
    long maxBodyMemory,
    ConfigProto session) {

  /** A quarter of the heap, but never less than one largest body. */
  public static long defaultBodyMemory(long maxBodyBytes) {
    return Math.max(maxBodyBytes, Runtime.getRuntime().maxMemory() / 4);
  }
}
