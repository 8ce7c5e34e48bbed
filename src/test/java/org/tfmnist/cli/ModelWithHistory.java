package org.tfmnist.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tfmnist.TestModels;
import org.tfmnist.train.History;

/**
 * {@link TestModels#mlp()} copied to a test's directory with a two-epoch history in {@code
 * assets.extra/history.json}, as a training run exports it, for {@code show history}.
 */
final class ModelWithHistory {

  private ModelWithHistory() {}

  /** The copy, at {@code target}; returns its history file. */
  static Path copy(Path target) throws IOException {
    TestModels.copy(TestModels.mlp(), target);
    History h = new History();
    h.add(new History.Epoch(1, 0.9, 0.7, 0.8, 0.75, 1.0));
    h.add(new History.Epoch(2, 0.5, 0.85, 0.6, 0.82, 1.0));
    Path file = Files.createDirectories(target.resolve("assets.extra")).resolve("history.json");
    return Files.writeString(file, h.toJson());
  }
}
