package org.tfmnist;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The small Keras files under src/test/resources/keras (made by the scripts beside them). */
public final class KerasFixtures {

  private KerasFixtures() {}

  /** The fixture {@code name} ("small_cnn.keras", "lenet5.json", ...). */
  public static Path path(String name) {
    try {
      return Path.of(KerasFixtures.class.getResource("/keras/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
