package org.tfmnist.run;

import java.nio.file.Path;
import java.util.List;
import org.tensorflow.proto.ConfigProto;
import org.tfmnist.train.Callback;

/**
 * Where and how a {@link TrainingJob} runs; made with {@link #builder(Path, String)}, whose
 * defaults are those of {@code tf-mnist train}. {@code version} 0 takes the next free version;
 * {@code seed} null draws one (or, when resuming, takes the checkpoint's); {@code checkpointDir}
 * null writes no checkpoints; {@code resume} (null: a fresh run) the run to continue, read by
 * {@link Resume#read}; {@code best} also keeps the checkpoint of the best validation accuracy in
 * {@code checkpointDir/best}.
 */
public record TrainingOptions(
    Path modelsDir,
    String name,
    long version,
    Long seed,
    int trainLimit,
    int testLimit,
    boolean export,
    Path checkpointDir,
    int keepCheckpoints,
    Resume.Plan resume,
    boolean best,
    boolean live,
    ConfigProto config,
    Path tensorboard,
    List<Callback> callbacks) {

  /** Options exporting {@code name} under {@code modelsDir}, every other one at its default. */
  public static Builder builder(Path modelsDir, String name) {
    return new Builder(modelsDir, name);
  }

  /** {@link TrainingOptions} field by field; each setter names what it sets. */
  public static final class Builder {
    private final Path modelsDir;
    private final String name;
    private long version;
    private Long seed;
    private int trainLimit;
    private int testLimit;
    private boolean export = true;
    private Path checkpointDir;
    private int keepCheckpoints = 2;
    private Resume.Plan resume;
    private boolean best;
    private boolean live;
    private ConfigProto config;
    private Path tensorboard;
    private List<Callback> callbacks = List.of();

    private Builder(Path modelsDir, String name) {
      this.modelsDir = modelsDir;
      this.name = name;
    }

    /** The version to export to; 0 (the default) takes the next free one. */
    public Builder version(long v) {
      this.version = v;
      return this;
    }

    /** The random seed; null (the default) draws one. */
    public Builder seed(Long s) {
      this.seed = s;
      return this;
    }

    /** Train and evaluate on the first images only (0, the default: all). */
    public Builder limits(int train, int test) {
      this.trainLimit = train;
      this.testLimit = test;
      return this;
    }

    /** Whether to export a SavedModel at the end (default: yes). */
    public Builder export(boolean e) {
      this.export = e;
      return this;
    }

    /**
     * Checkpoints after each epoch in {@code dir} (null: none), keeping the newest {@code keep}.
     */
    public Builder checkpoints(Path dir, int keep) {
      this.checkpointDir = dir;
      this.keepCheckpoints = keep;
      return this;
    }

    /** Continue the run {@code r} (from {@link Resume#read}); null for a fresh run. */
    public Builder resume(Resume.Plan r) {
      this.resume = r;
      return this;
    }

    /** Also keep the best epoch's checkpoint. */
    public Builder best(boolean b) {
      this.best = b;
      return this;
    }

    /** A live progress bar (a terminal) rather than one line per epoch. */
    public Builder live(boolean l) {
      this.live = l;
      return this;
    }

    /** TensorFlow's session options (threads), or null. */
    public Builder config(ConfigProto c) {
      this.config = c;
      return this;
    }

    /** TensorBoard logs under {@code dir} (null: none). */
    public Builder tensorboard(Path dir) {
      this.tensorboard = dir;
      return this;
    }

    /** Callbacks of the caller's own, after the run's. */
    public Builder callbacks(List<Callback> c) {
      this.callbacks = List.copyOf(c);
      return this;
    }

    public TrainingOptions build() {
      return new TrainingOptions(
          modelsDir,
          name,
          version,
          seed,
          trainLimit,
          testLimit,
          export,
          checkpointDir,
          keepCheckpoints,
          resume,
          best,
          live,
          config,
          tensorboard,
          callbacks);
    }
  }
}
