package org.tfmnist.train.callbacks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;
import org.tfmnist.train.TrainingException;
import org.tfmnist.util.ErrorReason;

/**
 * Keras' {@code CSVLogger(filename, append=False)}: one row per epoch, written as the epoch ends,
 * with Keras' columns ({@code epoch} counting from 0, then the figures in alphabetical order).
 */
public final class CSVLogger extends Callback implements AutoCloseable {

  private final Path file;
  private final boolean append;
  private BufferedWriter writer;

  /** Keras' {@code CSVLogger(filename)}: {@code append=False}, a new file each run. */
  public CSVLogger(Path file) {
    this(file, false);
  }

  /**
   * Keras' {@code CSVLogger(filename, append=append)}: with {@code append} the rows are added to an
   * existing file (its header kept).
   */
  public CSVLogger(Path file, boolean append) {
    this.file = file;
    this.append = append;
  }

  @Override
  public void onTrainBegin() {
    try {
      boolean header = !append || !Files.exists(file) || Files.size(file) == 0;
      writer =
          Files.newBufferedWriter(
              file,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      if (header) {
        writer.write("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss\n");
        writer.flush();
      }
    } catch (IOException e) {
      throw new TrainingException(file + ": cannot write the CSV log: " + ErrorReason.of(e));
    }
  }

  @Override
  public void onEpochEnd(History.Epoch logs) {
    try {
      writer.write(
          String.format(
              Locale.ROOT,
              "%d,%s,%s,%s,%s,%s%n",
              logs.epoch() - 1,
              logs.accuracy(),
              (float) model.learningRate(),
              logs.loss(),
              logs.valAccuracy(),
              logs.valLoss()));
      writer.flush();
    } catch (IOException e) {
      throw new TrainingException(file + ": cannot write the CSV log: " + ErrorReason.of(e));
    }
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
