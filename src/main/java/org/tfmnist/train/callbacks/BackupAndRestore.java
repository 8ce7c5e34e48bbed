package org.tfmnist.train.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.tfmnist.train.Callback;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.History;

/**
 * Keras' {@code BackupAndRestore(backup_dir)}: a checkpoint after every epoch (weights, the
 * optimizer's slots, the global step, the history and the run's state), and at the start of a run
 * the restore of the one given, so that a run killed at any point continues where its last epoch
 * ended, to the same figures. A fresh run removes an older run's checkpoints only once it has
 * written its own first one.
 */
public final class BackupAndRestore extends Callback {

  private final Checkpoints checkpoints;
  private final Optional<Checkpoints.Saved> restoreFrom;
  private final Function<History.Epoch, Checkpoints.State> state;
  private final PrintStream out;
  private boolean replacingOlderRun;

  public BackupAndRestore(
      Checkpoints checkpoints,
      Optional<Checkpoints.Saved> restoreFrom,
      Function<History.Epoch, Checkpoints.State> state,
      PrintStream out) {
    this.checkpoints = checkpoints;
    this.restoreFrom = restoreFrom;
    this.state = state;
    this.out = out;
  }

  @Override
  public void onTrainBegin() {
    if (restoreFrom.isPresent()) {
      Checkpoints.Saved saved = restoreFrom.get();
      saved.restoreInto(model.graph());
      model.resumeAt(saved.state().epoch(), saved.state().history());
      out.printf(
          Locale.ROOT,
          "Resuming from %s: %d of %d epochs done (global step %d)%n",
          saved.dir(),
          saved.state().epoch(),
          model.epochs(),
          saved.state().globalStep());
    } else {
      replacingOlderRun = checkpoints.count() > 0;
    }
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    checkpoints.save(model.graph(), state.apply(logs), replacingOlderRun);
    if (replacingOlderRun) {
      out.println(
          "Starting afresh: removed the old checkpoints in "
              + checkpoints.dir()
              + " now that this run has written its first.");
      replacingOlderRun = false;
    }
  }
}
