package org.tfmnist.train.callbacks;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tfmnist.train.Callback;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.History;

/**
 * Keras' {@code ModelCheckpoint}. As Keras writes it, {@code new ModelCheckpoint(filepath)} saves
 * the model after every epoch: a {@code .keras} file ({@code model.save}) or, for a path ending in
 * {@code .weights.h5}, the weights ({@code model.save_weights}); the path may hold the epoch and
 * the figures as Keras formats them ({@code "lenet5-{epoch:02d}-{val_loss:.2f}.keras"}). Keras'
 * defaults: {@code monitor="val_loss"}, {@code save_best_only=False}.
 *
 * <p>The command line's form, {@code new ModelCheckpoint(checkpoints, monitor, state)}, keeps the
 * TensorFlow checkpoint (weights, optimizer state and run state) of the best epoch so far in the
 * checkpoint directory's {@code best/}.
 */
public final class ModelCheckpoint extends Callback {

  private static final Pattern FIELD = Pattern.compile("\\{(\\w+)(?::([^}]*))?}");

  private final Path filepath;
  private final Checkpoints checkpoints;
  private final Function<History.Epoch, Checkpoints.State> state;
  private Monitor monitor;
  private boolean saveBestOnly;
  private double best;

  /**
   * Keras' {@code ModelCheckpoint(filepath)}: after every epoch, the model as a {@code .keras}
   * file, or its weights when {@code filepath} ends in {@code .weights.h5}.
   */
  public ModelCheckpoint(Path filepath) {
    String name = filepath.getFileName() == null ? "" : filepath.getFileName().toString();
    if (!name.endsWith(".keras") && !name.endsWith(".weights.h5")) {
      throw new IllegalArgumentException(
          "ModelCheckpoint's filepath must end in .keras (the whole model) or .weights.h5 (its"
              + " weights), as in Keras; got "
              + filepath);
    }
    Matcher fields = FIELD.matcher(filepath.toString());
    while (fields.find()) {
      if (!fields.group(1).equals("epoch")) {
        figure(fields.group(1), null); // refuses a name Keras' logs do not have, before training
      }
    }
    this.filepath = filepath;
    this.checkpoints = null;
    this.state = null;
    this.monitor = new Monitor("val_loss");
  }

  /**
   * The command line's form: keeps the checkpoint of the epoch whose {@code monitor} figure was
   * best so far in {@code checkpoints}' {@code best/}, with the run state {@code state} gives.
   */
  public ModelCheckpoint(
      Checkpoints checkpoints, Monitor monitor, Function<History.Epoch, Checkpoints.State> state) {
    this.filepath = null;
    this.checkpoints = checkpoints;
    this.monitor = monitor;
    this.state = state;
    this.saveBestOnly = true;
  }

  /** Keras' {@code monitor}: the figure {@link #saveBestOnly} compares ("val_loss"). */
  public ModelCheckpoint monitor(String name) {
    this.monitor = new Monitor(name);
    return this;
  }

  /** Keras' {@code save_best_only}: save only when the monitored figure improved (false). */
  public ModelCheckpoint saveBestOnly(boolean saveBestOnly) {
    if (checkpoints != null && !saveBestOnly) {
      throw new IllegalStateException("the checkpoint directory's form keeps the best epoch only");
    }
    this.saveBestOnly = saveBestOnly;
    return this;
  }

  @Override
  public void onTrainBegin() {
    // a resumed run's earlier epochs count: the best stays the best of the whole run
    best = monitor.worst();
    for (History.Epoch e : model.history().epochs()) {
      best = monitor.improves(monitor.of(e), best, 0) ? monitor.of(e) : best;
    }
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    double current = monitor.of(logs);
    boolean improved = monitor.improves(current, best, 0);
    if (improved) {
      best = current;
    }
    if (saveBestOnly && !improved) {
      return;
    }
    if (checkpoints != null) {
      checkpoints.saveBest(model, state.apply(logs));
      return;
    }
    Path target = Path.of(format(filepath.toString(), logs));
    if (target.getFileName().toString().endsWith(".weights.h5")) {
      model.saveWeights(target);
    } else {
      model.saveKeras(target);
    }
  }

  /**
   * {@code path} with Keras' fields filled in: {@code {epoch}} (1-based) and the figures ({@code
   * loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy}), each with an optional Python
   * format ({@code 02d}, {@code .4f}).
   */
  static String format(String path, History.Epoch logs) {
    Matcher m = FIELD.matcher(path);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String spec = m.group(2) == null ? "" : m.group(2);
      Object value =
          key.equals("epoch") ? (Object) Integer.valueOf(logs.epoch()) : figure(key, logs);
      String text =
          spec.isEmpty()
              ? String.valueOf(value)
              : String.format(
                  Locale.ROOT,
                  "%" + spec,
                  spec.endsWith("d") ? ((Number) value).longValue() : value);
      m.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Double figure(String key, History.Epoch logs) {
    try {
      Monitor m = new Monitor(key);
      return logs == null ? 0.0 : m.of(logs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "ModelCheckpoint's filepath names {"
              + key
              + "}: it may name epoch, loss, accuracy, val_loss and val_accuracy");
    }
  }
}
