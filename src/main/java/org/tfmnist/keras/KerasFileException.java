package org.tfmnist.keras;

import java.nio.file.Path;
import org.tfmnist.data.BadInputException;

/**
 * A Keras model file ({@code .keras} or legacy {@code .h5}) that cannot be read or written, in one
 * line naming the file and, where it applies, the place in the model ("layer 3 'conv2d_1' (Conv2D):
 * ..."). The CLI prints it alone and exits 1; nothing is written when it is thrown.
 */
public class KerasFileException extends BadInputException {

  /**
   * The file {@code file} cannot be read or written because of {@code what}; the message is "FILE:
   * WHAT".
   */
  public KerasFileException(Path file, String what) {
    super(file + ": " + what);
  }

  /** As {@link #KerasFileException(Path, String)}, with the exception that caused it. */
  public KerasFileException(Path file, String what, Throwable cause) {
    super(file + ": " + what, cause);
  }
}
