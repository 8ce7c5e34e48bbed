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
import javax.imageio.ImageReadParam;
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
  public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

  /** Pictures above this many pixels are refused (their header is read first). */
  public static final long MAX_PIXELS = 250_000_000L;

  /** Pictures above this many pixels are decoded subsampled (preprocessing shrinks them). */
  static final long DECODE_PIXELS = 4L << 20;

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
      throw DataException.of(file, "cannot read: " + DataException.reason(e));
    }
    return decode(bytes, file.toString());
  }

  /**
   * Decodes a picture held in memory (an upload, say); {@code name} names it in errors, which read
   * "{name}: {what is wrong}". The dimensions are read from the header first: a picture of more
   * than {@value #MAX_PIXELS} pixels is refused, and one of more than {@value #DECODE_PIXELS} is
   * decoded subsampled, so a small file that declares a huge canvas cannot take the memory of the
   * process.
   */
  public static BufferedImage decode(byte[] bytes, String name) {
    if (bytes.length == 0) {
      throw new DataException(name + ": empty file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new DataException(name + ": not an image (PNG, JPEG, BMP or GIF)");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener(
          new IIOReadWarningListener() {
            @Override
            public void warningOccurred(ImageReader source, String warning) {
              warnings.add(warning);
            }
          });
      try {
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w < 1 || h < 1) {
          throw new DataException(name + ": image has no pixels");
        }
        if (w * h > MAX_PIXELS) {
          throw new DataException(
              name
                  + ": "
                  + w
                  + "x"
                  + h
                  + " pixels is too large (at most "
                  + MAX_PIXELS / 1_000_000
                  + " megapixels)");
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = subsampling(w, h);
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        BufferedImage img = reader.read(0, param);
        if (!warnings.isEmpty()) {
          throw new DataException(
              name + ": damaged " + format(reader) + " (" + warnings.get(0) + ")");
        }
        if (img.getWidth() < 1 || img.getHeight() < 1) {
          throw new DataException(name + ": image has no pixels");
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (DataException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new DataException(name + ": truncated or corrupt image (" + m.replace('\n', ' ') + ")");
    }
  }

  /** Every how many pixels to decode so that at most about {@value #DECODE_PIXELS} remain. */
  static int subsampling(long w, long h) {
    if (w * h <= DECODE_PIXELS) {
      return 1;
    }
    return (int) Math.ceil(Math.sqrt((double) w * h / DECODE_PIXELS));
  }

  private static String format(ImageReader r) {
    try {
      return r.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      return "image";
    }
  }
}
