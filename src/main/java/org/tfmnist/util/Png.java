package org.tfmnist.util;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** The one PNG encoder: a picture's PNG bytes, or a PNG file written whole or not at all. */
public final class Png {

  private Png() {}

  /** The PNG file's bytes (encoding into memory cannot fail but for a JDK fault). */
  public static byte[] encode(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("this JDK has no PNG writer for " + img.getType());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Writes {@code img} to {@code file} under a temporary name and renames it into place, so a
   * killed run leaves the old file or the new one, never half of one.
   */
  public static void write(BufferedImage img, Path file) throws IOException {
    AtomicFile.write(file, encode(img));
  }
}
