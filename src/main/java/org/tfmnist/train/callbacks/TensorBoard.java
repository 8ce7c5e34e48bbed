package org.tfmnist.train.callbacks;

import java.nio.file.Path;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;

/**
 * Keras' {@code TensorBoard(log_dir)}: under {@code train/} and {@code validation/}, the epoch's
 * loss and accuracy ({@code epoch_loss}, {@code epoch_accuracy}) and the learning rate, by epoch;
 * under {@code train/} also the running batch loss and accuracy every 20 steps, by global step.
 */
public final class TensorBoard extends Callback implements AutoCloseable {

  /** The running batch figures are written every this many steps. */
  static final int BATCH_EVERY = 20;

  private final TensorBoardWriter writer;

  /** Keras' {@code TensorBoard()}: {@code log_dir="logs"}, relative to the working directory. */
  public TensorBoard() {
    this(Path.of("logs"));
  }

  /** Keras' {@code TensorBoard(log_dir)}. */
  public TensorBoard(Path logDir) {
    this.writer = new TensorBoardWriter(logDir);
  }

  @Override
  public boolean wantsBatchLogs(int step) {
    return step % BATCH_EVERY == 0;
  }

  @Override
  public void onTrainBatchEnd(int step, Metrics running) {
    if (running != null && step % BATCH_EVERY == 0) {
      writer.scalar("train", "batch_loss", running.globalStep(), running.loss());
      writer.scalar("train", "batch_accuracy", running.globalStep(), running.accuracy());
    }
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    long step = logs.epoch() - 1; // Keras' epochs count from 0 in TensorBoard
    writer.scalar("train", "epoch_loss", step, logs.loss());
    writer.scalar("train", "epoch_accuracy", step, logs.accuracy());
    writer.scalar("train", "epoch_learning_rate", step, model.learningRate());
    writer.scalar("validation", "epoch_loss", step, logs.valLoss());
    writer.scalar("validation", "epoch_accuracy", step, logs.valAccuracy());
    writer.flush();
  }

  @Override
  public void close() {
    writer.close();
  }
}
