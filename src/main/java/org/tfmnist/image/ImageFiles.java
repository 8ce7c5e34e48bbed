package org.tfmnist.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import org.tfmnist.data.DataException;

/**
 * Reads PNG, JPEG, BMP and GIF files with the JDK's ImageIO, strictly: an empty, truncated or
 * unreadable file is a one-line {@link DataException} naming it (ImageIO would otherwise decode a
 * truncated JPEG into a grey-filled picture with only a warning).
 */
public final class ImageFiles {

  /** File name endings taken as images when a directory is walked. */
  public static final List<String> EXTENSIONS =
      List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

  private ImageFiles() {}

  public static boolean looksLikeImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(n::endsWith);
  }

  /** Decodes {@code file}; the first frame of an animated GIF. */
  public static BufferedImage read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw DataException.of(file, "no such file");
    } catch (IOException e) {
      throw DataException.of(file, "cannot read: " + e.getMessage());
    }
    if (bytes.length == 0) {
      throw DataException.of(file, "empty file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw DataException.of(file, "not an image (PNG, JPEG, BMP or GIF)");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener(new IIOReadWarningListener() {
        @Override
        public void warningOccurred(ImageReader source, String warning) {
          warnings.add(warning);
        }
      });
      try {
        reader.setInput(in, true, true);
        BufferedImage img = reader.read(0);
        if (!warnings.isEmpty()) {
          throw DataException.of(file, "damaged " + format(reader) + " (" + warnings.get(0)
              + ")");
        }
        if (img.getWidth() < 1 || img.getHeight() < 1) {
          throw DataException.of(file, "image has no pixels");
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (DataException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw DataException.of(file, "truncated or corrupt image (" + m.replace('\n', ' ') + ")");
    }
  }

  private static String format(ImageReader r) {
    try {
      return r.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      return "image";
    }
  }
}
