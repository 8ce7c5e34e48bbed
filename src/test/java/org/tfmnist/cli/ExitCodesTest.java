package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tfmnist.data.BadInputException;
import org.tfmnist.data.NotFetchedException;
import org.tfmnist.export.ExportException;
import org.tfmnist.keras.KerasFileException;
import org.tfmnist.train.NonFiniteLossException;
import org.tfmnist.train.TrainingException;

/**
 * One mapping from a failure to the exit code: bad input and failed runs 1, usage 2 (the option
 * checks of every command, {@code data}'s included), anything else 70.
 */
@Timeout(60)
class ExitCodesTest {

  @Test
  void eachFamilyHasItsCode() {
    assertEquals(1, ExitCodes.of(new BadInputException("x: bad")));
    assertEquals(1, ExitCodes.of(new KerasFileException(Path.of("m.keras"), "bad")));
    assertEquals(1, ExitCodes.of(new NotFetchedException("not fetched")));
    assertEquals(1, ExitCodes.of(new TrainingException("failed")));
    assertEquals(1, ExitCodes.of(new NonFiniteLossException("nan")));
    assertEquals(1, ExitCodes.of(new ExportException("cannot export")));
    assertEquals(1, ExitCodes.of(new IOException("disk")));
    assertEquals(1, ExitCodes.of(new UncheckedIOException(new IOException("disk"))));
    assertEquals(1, ExitCodes.of(new IllegalArgumentException("the model's input shape")));
    assertEquals(70, ExitCodes.of(new NullPointerException()));
    assertEquals(70, ExitCodes.of(new IllegalStateException("a bug")));
  }

  @Test
  void anUnknownDatasetIsAUsageErrorForEveryCommandThatTakesOne() {
    CliTest.Run r = CliTest.cli("data", "--dataset", "bogus");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("Invalid value for option '--dataset': 'bogus'"), r.err());
    assertTrue(!r.err().contains("\tat "), r.err());
  }
}
