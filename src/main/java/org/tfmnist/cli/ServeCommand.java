package org.tfmnist.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tensorflow.proto.ConfigProto;
import org.tfmnist.data.BadInputException;
import org.tfmnist.serve.ModelServer;
import org.tfmnist.serve.ServeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tf-mnist serve}: the drawing page and a TF Serving-compatible REST server. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serve every exported model under --models (MODELS/NAME/VERSION, TF Serving's layout) "
          + "with TensorFlow Serving's REST API and KServe's Open Inference Protocol (v2), a "
          + "picture endpoint and a page where you draw a "
          + "digit. New versions are picked up while serving; concurrent requests are batched "
          + "into one session run. Runs until SIGTERM or Ctrl-C, then finishes the requests in "
          + "flight and exits 0.",
      "",
      "Routes: GET / (drawing page); GET /v1/models; GET /v1/models/NAME[/versions/N]"
          + "[/metadata]; POST /v1/models/NAME[/versions/N]:predict (JSON: {\"instances\": "
          + "[...]} or {\"inputs\": ...}); POST /v1/models/NAME[/versions/N]:recognize (a PNG, "
          + "JPEG, BMP or GIF, raw or as a multipart upload); KServe v2: GET /v2, "
          + "GET /v2/health/live|ready, GET /v2/models/NAME[/versions/N][/ready], "
          + "POST /v2/models/NAME[/versions/N]/infer (FP32 or UINT8, JSON or binary data); "
          + "GET /healthz; GET /readyz; GET /monitoring/prometheus/metrics."
    })
final class ServeCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--models",
      defaultValue = "models",
      paramLabel = "DIR",
      description = "Serve every MODEL/VERSION under DIR (default: ${DEFAULT-VALUE}).")
  Path models;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDR",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; "
              + "0.0.0.0 for every interface).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8501",
      paramLabel = "N",
      description =
          "TCP port (default: ${DEFAULT-VALUE}, TF Serving's REST port; 0: any free " + "port).")
  int port;

  @Option(
      names = "--no-batching",
      negatable = false,
      description = "Run every request on its own instead of merging concurrent ones.")
  boolean noBatching;

  @Option(
      names = "--max-batch-size",
      defaultValue = "64",
      paramLabel = "N",
      description =
          "Images per session run at most (default: ${DEFAULT-VALUE}); larger "
              + "requests are split into several runs and joined.")
  int maxBatchSize;

  @Option(
      names = "--batch-timeout-micros",
      defaultValue = "0",
      paramLabel = "US",
      description =
          "How long a request waits for others to fill its batch "
              + "(default: ${DEFAULT-VALUE}: requests that arrive while a batch runs form the "
              + "next one).")
  long batchTimeoutMicros;

  @Option(
      names = "--max-enqueued-batches",
      defaultValue = "64",
      paramLabel = "N",
      description =
          "Full batches that may wait; beyond that, requests get 503 "
              + "(default: ${DEFAULT-VALUE}).")
  int maxEnqueuedBatches;

  @Option(
      names = "--num-batch-threads",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "Threads running batches per model version (default: ${DEFAULT-VALUE}; "
              + "each run already uses every core).")
  int numBatchThreads;

  @Option(
      names = "--num-versions",
      defaultValue = "1",
      paramLabel = "N",
      description = "Serve each model's N newest versions (default: ${DEFAULT-VALUE}).")
  int numVersions;

  @Option(
      names = "--poll-seconds",
      defaultValue = "1",
      paramLabel = "S",
      description = "How often to look for new versions (default: ${DEFAULT-VALUE}; 0: never).")
  double pollSeconds;

  @Option(
      names = "--max-body-size",
      defaultValue = "16M",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description =
          "Largest request body, gzip-decoded too; larger gets 413 "
              + "(default: ${DEFAULT-VALUE}; K, M, G suffixes).")
  long maxBodySize;

  @Option(
      names = "--request-timeout",
      defaultValue = "30",
      paramLabel = "S",
      description = "Seconds before an unanswered request gets 504 (default: ${DEFAULT-VALUE}).")
  double requestTimeout;

  @Option(
      names = "--grace-period",
      defaultValue = "10",
      paramLabel = "S",
      description =
          "On SIGTERM, seconds to finish the requests in flight " + "(default: ${DEFAULT-VALUE}).")
  double gracePeriod;

  @Option(
      names = "--cors",
      negatable = false,
      description =
          "Allow pages from any origin to call the API (Access-Control-Allow-Origin: " + "*).")
  boolean cors;

  @Option(
      names = "--http-threads",
      defaultValue = "128",
      paramLabel = "N",
      description =
          "Threads running requests once they have arrived whole; each waits for its batch, "
              + "so this bounds how many requests run at once. A client slow to send its "
              + "request or to read the answer holds no thread (default: ${DEFAULT-VALUE}).")
  int httpThreads;

  @Option(
      names = "--idle-timeout",
      defaultValue = "30",
      paramLabel = "S",
      description =
          "Seconds a connection may stay silent (sending its request or reading the answer) "
              + "before it is closed; a request being answered is bounded by --request-timeout "
              + "instead (default: ${DEFAULT-VALUE}).")
  double idleTimeout;

  @Option(
      names = "--max-connections",
      defaultValue = "10000",
      paramLabel = "N",
      description =
          "Open connections at most; further ones wait to be accepted until one closes "
              + "(default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Mixin RuntimeOptions runtime;

  @Mixin AccessLogOption accessLog;

  @Override
  public Integer call() throws IOException {
    ServeConfig cfg = config();
    PrintStream out = System.out;
    ModelServer server = new ModelServer(cfg, out, accessLog.open());
    out.println("tf-mnist serve: loading the models under " + models);
    out.flush();
    try {
      server.start();
    } catch (BindException e) {
      throw new BadInputException(
          host
              + ":"
              + port
              + ": cannot listen: "
              + e.getMessage()
              + (port != 0 ? " (another server on this port? choose one with --port)" : ""));
    }
    Thread main = Thread.currentThread();
    Runnable stop = () -> new Thread(server::shutdown, "shutdown").start();
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> stop.run());
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> stop.run());
    printBanner(out, server, cfg);
    server.awaitStopped();
    out.println("tf-mnist serve: stopped");
    out.flush();
    return main.isInterrupted() ? 1 : 0;
  }

  private void printBanner(PrintStream out, ModelServer server, ServeConfig cfg) {
    String url = server.url().toString();
    Map<String, List<Long>> served = server.served();
    if (served.isEmpty()) {
      out.println(
          "No exported models under "
              + models
              + " yet (make train-cnn exports one); "
              + "they are picked up as they appear.");
    }
    for (Map.Entry<String, List<Long>> m : served.entrySet()) {
      out.println(
          "  "
              + m.getKey()
              + (m.getValue().isEmpty()
                  ? ": no version could be loaded"
                  : " version " + m.getValue().get(0))
              + "  "
              + url
              + "v1/models/"
              + m.getKey());
    }
    out.println("Drawing page: " + url);
    if (accessLog.target != null) {
      out.println("Access log: " + accessLog.target);
    }
    out.println(
        "REST API (TF Serving's): "
            + url
            + "v1/models/NAME:predict, "
            + ":recognize for pictures; KServe v2: "
            + url
            + "v2/models/NAME/infer; metrics at "
            + url
            + "monitoring/prometheus/metrics");
    out.println(
        cfg.batching()
            ? String.format(
                Locale.ROOT,
                "Batching: up to %d images per session run, %d µs " + "timeout, %d batch thread(s)",
                cfg.maxBatchSize(),
                cfg.batchTimeoutMicros(),
                cfg.numBatchThreads())
            : "Batching: off (each request is its own session run)");
    out.println("Stop with Ctrl-C or SIGTERM.");
    out.flush();
  }

  /** Every figure checked before anything native runs. */
  ServeConfig config() {
    Usage.check(spec, port >= 0 && port <= 65535, "--port", port, "0 to 65535");
    Usage.check(
        spec,
        maxBatchSize >= 1 && maxBatchSize <= 65536,
        "--max-batch-size",
        maxBatchSize,
        "1 to 65536");
    Usage.check(
        spec,
        batchTimeoutMicros >= 0 && batchTimeoutMicros <= 10_000_000,
        "--batch-timeout-micros",
        batchTimeoutMicros,
        "0 to 10000000 (10 s)");
    Usage.check(
        spec,
        maxEnqueuedBatches >= 1 && (long) maxEnqueuedBatches * maxBatchSize <= 10_000_000,
        "--max-enqueued-batches",
        maxEnqueuedBatches,
        "at least 1, and at most 10,000,000 images waiting");
    Usage.check(
        spec,
        numBatchThreads >= 1 && numBatchThreads <= 64,
        "--num-batch-threads",
        numBatchThreads,
        "1 to 64");
    Usage.check(
        spec, numVersions >= 1 && numVersions <= 100, "--num-versions", numVersions, "1 to 100");
    Usage.check(
        spec,
        pollSeconds >= 0 && pollSeconds <= 86400,
        "--poll-seconds",
        pollSeconds,
        "0 to 86400");
    Usage.check(
        spec,
        requestTimeout > 0 && requestTimeout <= 86400,
        "--request-timeout",
        requestTimeout,
        "more than 0, at most 86400");
    Usage.check(
        spec, gracePeriod >= 0 && gracePeriod <= 3600, "--grace-period", gracePeriod, "0 to 3600");
    Usage.check(
        spec,
        httpThreads >= 1 && httpThreads <= 10_000,
        "--http-threads",
        httpThreads,
        "1 to 10000");
    Usage.check(
        spec,
        idleTimeout >= 0.01 && idleTimeout <= 86400,
        "--idle-timeout",
        idleTimeout,
        "0.01 to 86400");
    Usage.check(
        spec,
        maxConnections >= 1 && maxConnections <= 1_000_000,
        "--max-connections",
        maxConnections,
        "1 to 1000000");
    runtime.validate(spec);
    if (new InetSocketAddress(host, 0).isUnresolved()) {
      throw new ParameterException(
          spec.commandLine(), "--host '" + host + "': not an address of this machine");
    }
    if (!Files.isDirectory(models)) {
      throw new BadInputException(
          models
              + ": no such directory (train a model first, e.g. "
              + "make train-cnn, or point --models at a directory of exported models)");
    }
    ConfigProto session = runtime.config();
    return new ServeConfig(
        models,
        host,
        port,
        !noBatching,
        maxBatchSize,
        batchTimeoutMicros,
        maxEnqueuedBatches,
        numBatchThreads,
        numVersions,
        Math.round(pollSeconds * 1000),
        maxBodySize,
        Math.round(requestTimeout * 1000),
        cors,
        Math.round(gracePeriod * 1000),
        httpThreads,
        Math.round(idleTimeout * 1000),
        maxConnections,
        ServeConfig.defaultBodyMemory(maxBodySize),
        session);
  }

  /** "16M", "512k", "1048576" into bytes. */
  static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String s) {
      String t = s.trim().toUpperCase(Locale.ROOT);
      long unit = 1;
      if (t.endsWith("B")) {
        t = t.substring(0, t.length() - 1);
      }
      if (t.endsWith("K")) {
        unit = 1L << 10;
      } else if (t.endsWith("M")) {
        unit = 1L << 20;
      } else if (t.endsWith("G")) {
        unit = 1L << 30;
      }
      if (unit > 1) {
        t = t.substring(0, t.length() - 1);
      }
      long n;
      try {
        n = Long.parseLong(t);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + s + "' is not a size (e.g. 16M)");
      }
      if (n < 1 || n > (8L << 30) / unit) {
        throw new CommandLine.TypeConversionException("'" + s + "' must be between 1 byte and 8G");
      }
      return n * unit;
    }
  }
}
