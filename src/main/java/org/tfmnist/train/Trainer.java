package org.tfmnist.train;

import java.io.PrintStream;
import java.util.Locale;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.graph.TrainingGraph.Metrics;

/**
 * Keras' {@code fit} loop over a {@link TrainingGraph}: per epoch a fresh shuffle, the steps, a
 * Keras-style progress line, validation at the epoch's end, and the history. A NaN or infinite
 * loss stops training with a {@link TrainingException} (Keras' TerminateOnNaN), before anything
 * of that epoch is kept.
 */
public final class Trainer {

  /** Name of the evaluation set used for validation in the {@link TrainingGraph}. */
  public static final String VALIDATION = "val";

  /** Called after each completed epoch (checkpoints, best-model tracking). */
  public interface EpochListener {
    void epochEnd(History.Epoch epoch, History history);
  }

  /** Where scalar curves go (TensorBoard): run "train" or "validation", tag, step, value. */
  public interface Scalars {
    void scalar(String run, String tag, long step, double value);

    void flush();
  }

  private static final long METRICS_EVERY_NANOS = 250_000_000L;

  /** With TensorBoard on, the running batch metrics are also written every this many steps. */
  static final int SCALARS_EVERY_STEPS = 20;

  private final PrintStream out;
  private final boolean live;
  private Scalars scalars;

  /**
   * @param live redraw a live progress bar (on a terminal); otherwise print one line per epoch
   */
  public Trainer(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  /** Also writes the curves (running batch metrics, epoch figures, learning rate) here. */
  public Trainer withScalars(Scalars s) {
    this.scalars = s;
    return this;
  }

  /**
   * Trains epochs {@code from+1 .. recipe.epochs()} (1-based; {@code from} epochs are already
   * done and recorded in {@code history}).
   */
  public History fit(TrainingGraph g, Recipe recipe, int from, History history,
      EpochListener listener) {
    int steps = g.stepsPerEpoch();
    for (int epoch = from; epoch < recipe.epochs(); epoch++) {
      g.startEpoch(epoch);
      long firstStep = scalars == null ? 0 : g.globalStep();
      Metrics m;
      try (EpochProgress p = new EpochProgress(out, live,
          "Epoch " + (epoch + 1) + "/" + recipe.epochs(), steps)) {
        long lastFetch = System.nanoTime();
        for (int s = 0; s < steps; s++) {
          g.step();
          if (live) {
            p.step(s + 1);
          }
          long now = System.nanoTime();
          boolean curve = scalars != null && (s + 1) % SCALARS_EVERY_STEPS == 0;
          if (now - lastFetch > METRICS_EVERY_NANOS || curve) {
            lastFetch = now;
            Metrics running = g.trainMetrics();
            checkFinite(running, epoch, s + 1, steps);
            p.metrics(running.loss(), running.accuracy());
            if (scalars != null) {
              scalars.scalar("train", "batch_loss", firstStep + s + 1, running.loss());
              scalars.scalar("train", "batch_accuracy", firstStep + s + 1, running.accuracy());
            }
          }
        }
        m = g.trainMetrics();
        checkFinite(m, epoch, steps, steps);
        Metrics val = g.evaluate(VALIDATION);
        double seconds = p.elapsedSeconds(); // as Keras: the epoch's time includes validation
        History.Epoch e = new History.Epoch(epoch + 1, m.loss(), m.accuracy(), val.loss(),
            val.accuracy(), seconds);
        p.finish(ProgressLine.metrics(m.loss(), m.accuracy())
            + String.format(Locale.ROOT, " - val_loss: %.4f - val_accuracy: %.4f", val.loss(),
                val.accuracy()));
        if (recipe.report() == Recipe.Report.NIELSEN) {
          // Nielsen's network: print ("Epoch {0}: {1} %".format(j+1, 100*self.evaluate(test_data)/n_test))
          out.printf(Locale.ROOT, "Epoch %d: %s %%%n", epoch + 1,
              stripZeros(100 * val.accuracy()));
        }
        history.add(e);
        if (scalars != null) {
          scalars.scalar("train", "epoch_loss", epoch, m.loss());
          scalars.scalar("train", "epoch_accuracy", epoch, m.accuracy());
          scalars.scalar("train", "epoch_learning_rate", epoch,
              recipe.optimizer().learningRate());
          scalars.scalar("validation", "epoch_loss", epoch, val.loss());
          scalars.scalar("validation", "epoch_accuracy", epoch, val.accuracy());
          scalars.flush();
        }
        if (listener != null) {
          listener.epochEnd(e, history);
        }
      }
    }
    return history;
  }

  private static String stripZeros(double v) {
    String s = String.format(Locale.ROOT, "%.4f", v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", ".0") : s;
  }

  private static void checkFinite(Metrics m, int epoch, int step, int steps) {
    if (!m.finite()) {
      throw new NonFiniteLossException(String.format(Locale.ROOT,
          "the loss became %s in epoch %d by step %d of %d: training stopped, nothing of this "
              + "epoch was kept",
          Double.isNaN(m.loss()) ? "NaN" : "infinite", epoch + 1, step, steps));
    }
  }
}
