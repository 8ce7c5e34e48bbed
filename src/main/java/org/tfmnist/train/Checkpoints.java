package org.tfmnist.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.tfmnist.data.JsonFile;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.util.AtomicDir;
import org.tfmnist.util.DirectoryLock;
import org.tfmnist.util.ErrorReason;

/**
 * Training checkpoints under {@code checkpoints/<name>/epoch-NNNN/}: the TF checkpoint of the
 * weights and the optimizer's slots ({@code ckpt.index}, {@code ckpt.data-*}) and {@code
 * state.json} (preset, recipe, seed, completed epochs, global step, history). A checkpoint is
 * written into a temporary directory and renamed into place, so a killed process never leaves a
 * half-written one; only the newest {@code keep} are kept.
 */
public final class Checkpoints {

  /** The TensorFlow checkpoint's prefix in a checkpoint directory ({@code ckpt.index}, ...). */
  public static final String PREFIX = "ckpt";

  /** The run's state in a checkpoint directory. */
  public static final String STATE = "state.json";

  /** The directory of the best epoch's checkpoint ({@code ModelCheckpoint}'s). */
  public static final String BEST = "best";

  /**
   * What a checkpoint records besides the tensors: the run's name ({@code preset}: a preset's, or
   * the model's), the data set's name and the limits it was trained and validated with, the epochs
   * done, the recipe, the random seed, the global step, the history, and {@code model}, the network
   * as Keras' {@code config.json} describes it (null when no Keras form exists: the preset's name
   * then says the network). Made with {@link #builder(String)}.
   */
  public record State(
      String preset,
      String dataset,
      int epoch,
      Recipe recipe,
      long seed,
      int trainLimit,
      int testLimit,
      long globalStep,
      History history,
      String model) {

    /** A state of run {@code name}; the fields not set are 0, empty or null. */
    public static Builder builder(String name) {
      return new Builder(name);
    }

    /**
     * The state of {@code m}'s run after {@code epoch} epochs: its network's name and definition,
     * recipe, random seed, step and history, trained on data the library cannot name ("unnamed",
     * limits 0).
     */
    public static State of(Model m, int epoch) {
      return builder(m.network().name())
          .dataset("unnamed")
          .epoch(epoch)
          .recipe(
              new Recipe(
                  m.optimizer(), m.loss(), m.epochs(), m.graph().batchSize(), 0, m.dtypePolicy()))
          .seed(m.seed())
          .globalStep(m.iterations())
          .history(m.history())
          .build();
    }

    /** A {@link State} field by field. */
    public static final class Builder {
      private final String preset;
      private String dataset = "mnist";
      private int epoch;
      private Recipe recipe;
      private long seed;
      private int trainLimit;
      private int testLimit;
      private long globalStep;
      private History history = new History();
      private String model;

      private Builder(String preset) {
        this.preset = preset;
      }

      /** The data set's name ("mnist" unless set). */
      public Builder dataset(String dataset) {
        this.dataset = dataset;
        return this;
      }

      /** The epochs done. */
      public Builder epoch(int epoch) {
        this.epoch = epoch;
        return this;
      }

      /** How the model is trained. */
      public Builder recipe(Recipe recipe) {
        this.recipe = recipe;
        return this;
      }

      /** The run's random seed. */
      public Builder seed(long seed) {
        this.seed = seed;
        return this;
      }

      /** The training and test images the run took (0: all). */
      public Builder limits(int trainLimit, int testLimit) {
        this.trainLimit = trainLimit;
        this.testLimit = testLimit;
        return this;
      }

      /** The optimisation steps taken (Keras' {@code iterations}). */
      public Builder globalStep(long globalStep) {
        this.globalStep = globalStep;
        return this;
      }

      /** The epochs' figures so far. */
      public Builder history(History history) {
        this.history = history;
        return this;
      }

      /** The network as Keras' config JSON (null: the preset's name says it). */
      public Builder model(String model) {
        this.model = model;
        return this;
      }

      /** The state. */
      public State build() {
        if (recipe == null) {
          throw new IllegalStateException("a checkpoint's state needs the recipe");
        }
        return new State(
            preset,
            dataset,
            epoch,
            recipe,
            seed,
            trainLimit,
            testLimit,
            globalStep,
            history,
            model);
      }
    }
  }

  /** A checkpoint on disk. */
  public record Saved(Path dir, State state) {
    /** The TensorFlow checkpoint's prefix (its files are {@code prefix.index}, ...). */
    public String prefix() {
      return dir.resolve(PREFIX).toString();
    }

    /**
     * Sets {@code g}'s weights, optimizer slots and global step to this checkpoint's (the step is
     * in {@code state.json}, not among the TF checkpoint's tensors).
     */
    public void restoreInto(Model m) {
      restoreInto(m.graph());
    }

    void restoreInto(TrainingGraph g) {
      g.restore(prefix());
      g.setGlobalStep(state.globalStep());
    }
  }

  /**
   * Writes one checkpoint's files into a fresh directory: TensorFlow's saver, then {@code
   * state.json}. (A test puts a failing one here to see what a full disk does.)
   */
  @FunctionalInterface
  interface Writer {
    void write(Path into, TrainingGraph g, State state) throws IOException;
  }

  static final Writer FILES =
      (into, g, state) -> {
        g.save(into.resolve(PREFIX).toString());
        Files.writeString(into.resolve(STATE), StateJson.write(StateJson.withDefinition(state, g)));
      };

  private final Path dir;
  private final int keep;
  private final Writer writer;

  /** The checkpoints in {@code dir}, keeping the newest {@code keep} epochs (1 or more). */
  public Checkpoints(Path dir, int keep) {
    this(dir, keep, FILES);
  }

  Checkpoints(Path dir, int keep, Writer writer) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one checkpoint");
    }
    this.dir = dir;
    this.keep = keep;
    this.writer = writer;
  }

  /** The directory the checkpoints are in. */
  public Path dir() {
    return dir;
  }

  /** Writes the graph's state after epoch {@code state.epoch()} and prunes old checkpoints. */
  public Saved save(Model m, State state) {
    return save(m.graph(), state, false);
  }

  /**
   * As {@link #save(Model, State)}; {@code replacingOlderRun}: the first checkpoint of a fresh run,
   * after which (never before) every checkpoint of the run it replaces is removed, so that a run
   * that fails before its first epoch ends loses nothing.
   */
  public Saved save(Model m, State state, boolean replacingOlderRun) {
    return save(m.graph(), state, replacingOlderRun);
  }

  Saved save(TrainingGraph g, State state) {
    return save(g, state, false);
  }

  Saved save(TrainingGraph g, State state, boolean replacingOlderRun) {
    Path target = dir.resolve(String.format("epoch-%04d", state.epoch()));
    Saved saved = write(target, g, state);
    if (replacingOlderRun) {
      List<Path> old = new ArrayList<>(list());
      old.remove(target);
      if (Files.isDirectory(dir.resolve(BEST))) {
        old.add(dir.resolve(BEST));
      }
      old.forEach(AtomicDir::deleteTree);
    }
    prune();
    return saved;
  }

  /**
   * Takes the directory for this process: a second run on the same checkpoints is refused at once
   * rather than writing over the first one's. The lock (on {@code .lock} inside) goes with the
   * process, however it ends.
   */
  public AutoCloseable lock() {
    try {
      return DirectoryLock.tryTake(dir)
          .orElseThrow(
              () ->
                  new TrainingException(
                      dir
                          + ": another training run is using these checkpoints; "
                          + "wait for it, or give this run another name or checkpoint directory"));
    } catch (IOException e) {
      throw new TrainingException(
          dir + ": cannot use the checkpoint directory: " + ErrorReason.of(e));
    }
  }

  /** How many checkpoints (epochs and best) there are now. */
  public int count() {
    return list().size() + (Files.isDirectory(dir.resolve(BEST)) ? 1 : 0);
  }

  /** Keeps {@code state}'s checkpoint as the best one, in {@code best/}. */
  public Saved saveBest(Model m, State state) {
    return saveBest(m.graph(), state);
  }

  Saved saveBest(TrainingGraph g, State state) {
    return write(dir.resolve(BEST), g, state);
  }

  /** The TF checkpoint and state.json, written into a temporary directory renamed to target. */
  private Saved write(Path target, TrainingGraph g, State state) {
    try {
      AtomicDir.write(target, true, tmp -> writer.write(tmp, g, state));
    } catch (IOException | org.tensorflow.exceptions.TensorFlowException e) {
      // a full disk shows up as either: TensorFlow's saver or our own state.json write
      throw new TrainingException(
          target
              + ": cannot write the checkpoint: "
              + ErrorReason.of(e)
              + (Files.isDirectory(target) ? " (the checkpoint there before is intact)" : ""));
    }
    return new Saved(target, state);
  }

  /**
   * Removes every checkpoint (epochs and best) and any temporary directory a killed process left
   * behind; returns how many checkpoints were removed.
   */
  public int clear() {
    removeLeftovers();
    List<Path> all = new ArrayList<>(list());
    if (Files.isDirectory(dir.resolve(BEST))) {
      all.add(dir.resolve(BEST));
    }
    all.forEach(AtomicDir::deleteTree);
    return all.size();
  }

  /** Temporary directories of writes that never finished (a process killed mid-write). */
  void removeLeftovers() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    AtomicDir.removeStale(dir); // a live writer's (another run's) are left alone
  }

  /** The checkpoint of the latest completed epoch, if any. */
  public Optional<Saved> latest() {
    removeLeftovers();
    List<Path> all = list();
    if (all.isEmpty()) {
      return Optional.empty();
    }
    Path newest = all.get(all.size() - 1);
    Path state = newest.resolve(STATE);
    String problem;
    try {
      return Optional.of(new Saved(newest, StateJson.read(Files.readString(state))));
    } catch (java.nio.file.NoSuchFileException e) {
      problem = "missing";
    } catch (IOException | RuntimeException e) {
      problem = "damaged (" + JsonFile.reason(e) + ")";
    }
    // never fall back to an older epoch silently: the caller would lose epochs unawares
    throw new TrainingException(
        state
            + ": the newest checkpoint's state is "
            + problem
            + (all.size() > 1
                ? "; the epoch before it is "
                    + all.get(all.size() - 2)
                    + ", which can be named directly"
                : ""));
  }

  /** Reads the checkpoint in {@code checkpointDir} (an epoch directory or a run directory). */
  public static Saved read(Path checkpointDir) {
    Path p = checkpointDir;
    if (!Files.isRegularFile(p.resolve(STATE))) {
      Optional<Saved> s = new Checkpoints(checkpointDir, 1).latest();
      if (s.isEmpty()) {
        throw new TrainingException(checkpointDir + ": no checkpoint (no " + STATE + ")");
      }
      return s.get();
    }
    try {
      return new Saved(p, StateJson.read(Files.readString(p.resolve(STATE))));
    } catch (IOException | RuntimeException e) {
      throw new TrainingException(
          p.resolve(STATE) + ": unreadable checkpoint state: " + JsonFile.reason(e));
    }
  }

  /**
   * Epoch checkpoints, oldest first. One whose state.json is gone is listed too (a checkpoint is
   * renamed into place whole, so only a hand or a damaged disk removes it): {@link #latest()} then
   * refuses it rather than taking the epoch before.
   */
  List<Path> list() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("epoch-\\d{4,}"))
          .filter(Files::isDirectory)
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private void prune() {
    List<Path> all = new ArrayList<>(list());
    while (all.size() > keep) {
      AtomicDir.deleteTree(all.remove(0));
    }
  }
}
