package org.tfmnist.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.tfmnist.export.ExportException;
import org.tfmnist.export.ModelDirs;

/**
 * The models being served, kept in step with the models directory as TF Serving's file-system
 * source and "latest" version policy keep them: every directory under it is a model, every numeric
 * subdirectory with a {@code saved_model.pb} a version (hidden {@code .N.tmp-*} directories of an
 * export in progress are not), and the newest {@code numVersions} versions that load are served. A
 * new version is loaded and warmed up before it replaces the old one; the old one finishes the
 * requests it holds and is then closed. A version that fails to load is reported in the model's
 * status with the reason, the versions already served keep serving, and it is tried again only once
 * its files change.
 */
final class ModelRegistry implements AutoCloseable {

  /** TF Serving's version states. */
  enum State {
    START,
    LOADING,
    AVAILABLE,
    UNLOADING,
    END
  }

  /** A version's state as the status route reports it; error is empty when all is well. */
  record VersionStatus(long version, State state, String errorCode, String error) {}

  private static final class Served {
    final String name;

    /** Versions serving now, newest first; replaced whole, never edited in place. */
    volatile NavigableMap<Long, ModelVersion> live = Collections.emptyNavigableMap();

    final Map<Long, VersionStatus> status = new ConcurrentSkipListMap<>(Collections.reverseOrder());

    /** Versions retired and perhaps still finishing requests. */
    final Map<Long, ModelVersion> retiring = new ConcurrentHashMap<>();

    /** Versions that failed to load, with the fingerprint of their files then. */
    final Map<Long, Long> failed = new ConcurrentHashMap<>();

    Served(String name) {
      this.name = name;
    }
  }

  private final ServeConfig cfg;
  private final Metrics metrics;
  private final PrintStream log;
  private final Map<String, Served> models = new ConcurrentHashMap<>();
  private ScheduledExecutorService poller;
  private volatile boolean closed;

  ModelRegistry(ServeConfig cfg, Metrics metrics, PrintStream log) {
    this.cfg = cfg;
    this.metrics = metrics;
    this.log = log;
  }

  /** Scans once now, then every {@code pollMillis} in the background. */
  void start() {
    scan();
    if (cfg.pollMillis() > 0) {
      poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("model-poller"));
      poller.scheduleWithFixedDelay(
          this::scanQuietly, cfg.pollMillis(), cfg.pollMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void scanQuietly() {
    try {
      scan();
    } catch (RuntimeException e) {
      log("cannot scan " + cfg.modelsDir() + ": " + e.getMessage());
    }
  }

  /** Brings the served versions in line with the directory. */
  synchronized void scan() {
    if (closed) {
      return;
    }
    List<String> names = modelNames();
    for (String name : names) {
      Served s = models.computeIfAbsent(name, Served::new);
      sync(s, cfg.modelsDir().resolve(name));
    }
    for (Served s : List.copyOf(models.values())) {
      if (!names.contains(s.name)) {
        List<ModelVersion> old = List.copyOf(s.live.values());
        s.live = Collections.emptyNavigableMap();
        retire(s, old);
        models.remove(s.name);
        log(s.name + ": its directory is gone; no longer served");
      }
    }
  }

  private void sync(Served s, Path modelDir) {
    while (true) {
      List<Long> desired = new ArrayList<>();
      for (long v : versionsOnDisk(modelDir)) {
        Long fp = s.failed.get(v);
        if (fp != null && fp == fingerprint(modelDir.resolve(Long.toString(v)))) {
          continue; // failed before, unchanged since
        }
        desired.add(v);
        if (desired.size() == cfg.numVersions()) {
          break;
        }
      }
      boolean failure = false;
      for (long v : desired) {
        if (!s.live.containsKey(v) && !load(s, v, modelDir.resolve(Long.toString(v)))) {
          failure = true;
        }
      }
      if (failure) {
        continue; // choose again without the version that failed
      }
      List<ModelVersion> old =
          s.live.values().stream().filter(mv -> !desired.contains(mv.version)).toList();
      if (!old.isEmpty()) {
        NavigableMap<Long, ModelVersion> next = new TreeMap<>(Collections.reverseOrder());
        next.putAll(s.live);
        old.forEach(mv -> next.remove(mv.version));
        s.live = Collections.unmodifiableNavigableMap(next);
        retire(s, old);
      }
      reapClosed(s);
      return;
    }
  }

  private boolean load(Served s, long v, Path dir) {
    s.status.put(v, new VersionStatus(v, State.LOADING, "OK", ""));
    long t0 = System.nanoTime();
    ModelVersion mv;
    try {
      mv = ModelVersion.load(s.name, v, dir, cfg, metrics);
    } catch (RuntimeException e) {
      s.failed.put(v, fingerprint(dir));
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      s.status.put(v, new VersionStatus(v, State.END, "UNKNOWN", why));
      log(
          s.name
              + " version "
              + v
              + ": failed to load: "
              + why
              + (s.live.isEmpty() ? "" : "; still serving version " + s.live.firstKey()));
      return false;
    }
    s.failed.remove(v);
    NavigableMap<Long, ModelVersion> next = new TreeMap<>(Collections.reverseOrder());
    next.putAll(s.live);
    next.put(v, mv);
    s.live = Collections.unmodifiableNavigableMap(next);
    s.status.put(v, new VersionStatus(v, State.AVAILABLE, "OK", ""));
    log(
        String.format(
            java.util.Locale.ROOT,
            "%s version %d: AVAILABLE (%s, loaded in %d ms, warm-up %d ms)",
            s.name,
            v,
            dir,
            (System.nanoTime() - t0) / 1_000_000,
            mv.warmUpMillis()));
    return true;
  }

  /** Takes versions out of service (already out of {@code live}); each closes when idle. */
  private void retire(Served s, List<ModelVersion> versions) {
    for (ModelVersion mv : versions) {
      long v = mv.version;
      s.status.put(v, new VersionStatus(v, State.UNLOADING, "OK", ""));
      s.retiring.put(v, mv);
      mv.release(); // the registry's reference: closes once the last request is done
      log(
          s.name
              + " version "
              + v
              + ": unloaded"
              + (mv.closed() ? "" : " (closing once the requests it holds are answered)"));
    }
    reapClosed(s);
  }

  /**
   * A served version with a reference taken (give it back with {@link ModelVersion#release});
   * {@code version} null means the newest.
   */
  ModelVersion acquire(String name, Long version, String servable) {
    while (true) {
      Served s = models.get(name);
      if (s == null) {
        throw ServeException.notFound("Servable not found for request: " + servable);
      }
      NavigableMap<Long, ModelVersion> live = s.live;
      ModelVersion mv =
          version == null
              ? (live.isEmpty() ? null : live.firstEntry().getValue())
              : live.get(version);
      if (mv == null) {
        throw ServeException.notFound("Servable not found for request: " + servable);
      }
      if (mv.acquire()) {
        return mv;
      }
      Thread.onSpinWait(); // retired in between: read the map again
    }
  }

  /** Names of the models known, sorted. */
  List<String> names() {
    return models.keySet().stream().sorted().toList();
  }

  /** The status of every version of {@code name} known, newest first. */
  List<VersionStatus> status(String name) {
    Served s = models.get(name);
    if (s == null) {
      throw ServeException.notFound("Could not find any versions of model " + name);
    }
    reapClosed(s);
    return List.copyOf(s.status.values());
  }

  /** Retired versions whose last request has been answered are END. */
  private static void reapClosed(Served s) {
    s.retiring
        .values()
        .removeIf(
            mv -> {
              if (mv.closed()) {
                s.status.put(mv.version, new VersionStatus(mv.version, State.END, "OK", ""));
                return true;
              }
              return false;
            });
  }

  /** The versions served now, newest first. */
  List<ModelVersion> live(String name) {
    Served s = models.get(name);
    return s == null ? List.of() : List.copyOf(s.live.values());
  }

  /** Models with no version serving (empty when every model is AVAILABLE). */
  List<String> unavailable() {
    return models.values().stream()
        .filter(s -> s.live.isEmpty())
        .map(s -> s.name)
        .sorted()
        .toList();
  }

  private List<String> modelNames() {
    Path dir = cfg.modelsDir();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .filter(n -> !versionsOnDisk(dir.resolve(n)).isEmpty() || models.containsKey(n))
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException(dir + ": cannot list: " + e.getMessage(), e);
    }
  }

  /** Numeric version directories holding a saved_model.pb, newest first. */
  private static List<Long> versionsOnDisk(Path modelDir) {
    try {
      return ModelDirs.versions(modelDir);
    } catch (ExportException e) {
      return List.of(); // unreadable for now: no version there
    }
  }

  /** Sizes and times of a version's files: changes when files are added or rewritten. */
  static long fingerprint(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      long h = 17;
      for (Path p : s.sorted().toList()) {
        h = h * 31 + p.toString().hashCode();
        if (Files.isRegularFile(p)) {
          h = h * 31 + Files.size(p);
          h = h * 31 + Files.getLastModifiedTime(p).toMillis();
        }
      }
      return h;
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  private void log(String line) {
    log.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
    log.flush();
  }

  /** Stops polling and closes every version once its requests are answered. */
  @Override
  public synchronized void close() {
    closed = true;
    if (poller != null) {
      poller.shutdownNow();
    }
    for (Served s : models.values()) {
      NavigableMap<Long, ModelVersion> live = s.live;
      s.live = Collections.emptyNavigableMap();
      for (ModelVersion mv : live.values()) {
        mv.release();
      }
    }
  }
}
