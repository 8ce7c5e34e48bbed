package org.tfmnist.cli;

import org.tfmnist.serve.AccessLog;
import picocli.CommandLine.Option;

/** {@code serve --access-log FILE|-}: a JSON line a request (off unless given). */
final class AccessLogOption {

  @Option(
      names = "--access-log",
      paramLabel = "FILE|-",
      description =
          "Append a JSON line per request to FILE (- for standard output): time, request id "
              + "(X-Request-Id, kept when the client sends one), method, path, status, model, "
              + "version and images when a model answered, latency_ms, bytes_in, bytes_out, "
              + "client (and forwarded_for). Off unless given.")
  String target;

  /** The log, opened for appending before any model loads; null when not asked for. */
  AccessLog open() {
    return target == null ? null : AccessLog.open(target);
  }
}
