package org.tfmnist.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.tfmnist.data.BadInputException;
import org.tfmnist.export.ExportException;
import org.tfmnist.train.TrainingException;

/**
 * The one mapping from a failure to the command's exit code (as TF Serving maps a status to an HTTP
 * code in one switch). Usage errors never get here: picocli answers them with the usage and 2,
 * whether picocli found them or a command's checks did.
 */
final class ExitCodes {

  /** Bad input or a failed run: one line on stderr says why. */
  static final int FAILED = 1;

  /** Bad command-line usage: the line, then the usage. */
  static final int USAGE = 2;

  /** A bug, whatever the input: the stack trace is printed. */
  static final int INTERNAL = 70;

  private ExitCodes() {}

  /**
   * {@link #FAILED} for bad input (a file that is missing, corrupt or of the wrong kind, a place
   * that cannot be written: the {@link BadInputException} family and I/O errors), a run that failed
   * ({@link TrainingException}, {@link ExportException}), and a value the library refused that came
   * from the user's files ({@link IllegalArgumentException}: a model file's input shape, say; the
   * command line's own values are checked as usage errors before anything runs); else {@link
   * #INTERNAL}.
   */
  static int of(Throwable e) {
    return e instanceof BadInputException
            || e instanceof TrainingException
            || e instanceof ExportException
            || e instanceof IllegalArgumentException
            || e instanceof IOException
            || e instanceof UncheckedIOException
        ? FAILED
        : INTERNAL;
  }
}
