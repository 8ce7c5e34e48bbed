package org.tfmnist.train.callbacks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.tfmnist.keras.KerasConfig;
import org.tfmnist.train.Callback;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.History;
import org.tfmnist.train.TrainingException;

/**
 * Keras' {@code BackupAndRestore(backup_dir)}: a checkpoint after every epoch (weights, the
 * optimizer's slots, the global step, the history and the run's state), and at the start of a run
 * the restore of the last one, so that a run killed at any point continues where its last epoch
 * ended, to the same figures.
 *
 * <p>As in Keras, {@code new BackupAndRestore(dir)} looks for the backup in {@code dir} when
 * training begins and deletes it when training ends ({@code delete_checkpoint=True}); a backup of
 * another model is refused. The command line's form is given the checkpoint to restore and keeps
 * its checkpoints; a fresh run there removes an older run's only once it has written its own first.
 */
public final class BackupAndRestore extends Callback {

  private final Checkpoints checkpoints;
  private final boolean fromDirectory;
  private Optional<Checkpoints.Saved> restoreFrom;
  private Function<History.Epoch, Checkpoints.State> state;
  private final PrintStream out;
  private boolean deleteCheckpoint;
  private boolean replacingOlderRun;

  /** Keras' {@code BackupAndRestore(backup_dir)}: backs up into, and restores from, {@code dir}. */
  public BackupAndRestore(Path backupDir) {
    this.checkpoints = new Checkpoints(backupDir, 1);
    this.fromDirectory = true;
    this.out = null;
    this.deleteCheckpoint = true;
  }

  /**
   * The command line's form: restores {@code restoreFrom} when present, checkpoints into {@code
   * checkpoints} with the run state {@code state} gives, and reports on {@code out}.
   */
  public BackupAndRestore(
      Checkpoints checkpoints,
      Optional<Checkpoints.Saved> restoreFrom,
      Function<History.Epoch, Checkpoints.State> state,
      PrintStream out) {
    this.checkpoints = checkpoints;
    this.fromDirectory = false;
    this.restoreFrom = restoreFrom;
    this.state = state;
    this.out = out;
  }

  /** Keras' {@code delete_checkpoint}: delete the backup once training ends (true). */
  public BackupAndRestore deleteCheckpoint(boolean delete) {
    this.deleteCheckpoint = delete;
    return this;
  }

  @Override
  public void onTrainBegin() {
    if (fromDirectory) {
      restoreFrom = checkpoints.latest();
      restoreFrom.ifPresent(this::requireSameModel);
      state = logs -> Checkpoints.State.of(model, logs.epoch());
    }
    if (restoreFrom.isPresent()) {
      Checkpoints.Saved saved = restoreFrom.get();
      saved.restoreInto(model);
      model.resumeAt(saved.state().epoch(), saved.state().history());
      if (out != null) {
        out.printf(
            Locale.ROOT,
            "Resuming from %s: %d of %d epochs done (global step %d)%n",
            saved.dir(),
            saved.state().epoch(),
            model.epochs(),
            saved.state().globalStep());
      }
    } else {
      replacingOlderRun = !fromDirectory && checkpoints.count() > 0;
    }
  }

  /** A backup is restored only into the model it was taken of: the same layers, the same names. */
  private void requireSameModel(Checkpoints.Saved saved) {
    String mine;
    try {
      mine = KerasConfig.toJson(model.network(), null, null);
    } catch (IllegalArgumentException e) {
      mine = null; // a layer of the caller's own has no Keras form: the name must do
    }
    boolean same =
        saved.state().model() != null && mine != null
            ? saved.state().model().equals(mine)
            : Objects.equals(saved.state().preset(), model.network().name());
    if (!same) {
      throw new TrainingException(
          checkpoints.dir()
              + ": holds the backup of another model ('"
              + saved.state().preset()
              + "'); delete it, or back this model up elsewhere");
    }
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    checkpoints.save(model, state.apply(logs), replacingOlderRun);
    if (replacingOlderRun) {
      out.println(
          "Starting afresh: removed the old checkpoints in "
              + checkpoints.dir()
              + " now that this run has written its first.");
      replacingOlderRun = false;
    }
  }

  @Override
  public void onTrainEnd() {
    if (fromDirectory && deleteCheckpoint) {
      checkpoints.clear();
      try {
        Files.deleteIfExists(checkpoints.dir()); // only when nothing else is in it
      } catch (IOException e) {
        // the caller's own files are there: the directory stays with them
      }
    }
  }
}
