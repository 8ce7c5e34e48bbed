package org.tfmnist.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.tfmnist.data.BadInputException;
import org.tfmnist.data.DataFiles;
import org.tfmnist.util.ErrorReason;

/**
 * Reads PNG, JPEG, BMP and GIF files with the JDK's ImageIO, strictly: an empty, truncated or
 * unreadable file is a one-line {@link BadInputException} naming it (ImageIO would otherwise decode
 * a truncated JPEG into a grey-filled picture with only a warning).
 */
public final class ImageFiles {

  /** File name endings taken as images when a directory is walked. */
  public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

  /** The formats read, by ImageIO's format names. */
  private static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");

  /** Pictures above this many pixels are refused (their header is read first). */
  public static final long MAX_PIXELS = 250_000_000L;

  /** Pictures above this many pixels are decoded subsampled (preprocessing shrinks them). */
  static final long DECODE_PIXELS = 4L << 20;

  private ImageFiles() {}

  public static boolean looksLikeImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(n::endsWith);
  }

  /**
   * Decodes {@code file}; the first frame of an animated GIF. The file is read as the decoder asks
   * for it, never whole: a huge file that is no picture is refused from its first bytes, and a
   * picture's size comes from its header.
   */
  public static BufferedImage read(Path file) {
    DataFiles.requireRegular(file);
    String name = file.toString();
    try {
      if (Files.size(file) == 0) {
        throw new BadInputException(name + ": empty file");
      }
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read: " + ErrorReason.of(e));
    }
    ImageInputStream in;
    try {
      in = new FileImageInputStream(file.toFile());
    } catch (IOException e) {
      String why = Files.isReadable(file) ? ErrorReason.of(e) : "permission denied";
      throw BadInputException.of(file, "cannot read: " + why);
    }
    return decode(in, name);
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
      throw new BadInputException(name + ": empty file");
    }
    // held in memory already: ImageIO.createImageInputStream would copy it to a temporary file
    // first (its disk cache), a write per picture for the server's uploads and the Spark job
    return decode(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)), name);
  }

  /** Decodes the picture {@code in} holds, and closes it. */
  private static BufferedImage decode(ImageInputStream input, String name) {
    try (ImageInputStream in = input) {
      ImageReader reader = reader(in, name);
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
          throw new BadInputException(name + ": image has no pixels");
        }
        if (w * h > MAX_PIXELS) {
          throw new BadInputException(
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
          throw new BadInputException(
              name + ": damaged " + format(reader) + " (" + warnings.get(0) + ")");
        }
        if (img.getWidth() < 1 || img.getHeight() < 1) {
          throw new BadInputException(name + ": image has no pixels");
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (BadInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new BadInputException(
          name + ": truncated or corrupt image (" + m.replace('\n', ' ') + ")");
    }
  }

  /**
   * A reader for one of the documented formats. The JDK also reads TIFF and WBMP; those are refused
   * so that what is accepted is what the help and README list (and a TIFF's many pages, tiles and
   * compressions stay outside what is checked from the header here).
   */
  private static ImageReader reader(ImageInputStream in, String name) {
    if (in == null) {
      throw new BadInputException(name + ": cannot read");
    }
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    boolean tiff = false;
    while (readers.hasNext()) {
      ImageReader r = readers.next();
      List<String> names =
          Arrays.stream(r.getOriginatingProvider().getFormatNames())
              .map(n -> n.toLowerCase(Locale.ROOT))
              .toList();
      if (names.stream().anyMatch(FORMATS::contains)) {
        return r;
      }
      tiff |= names.contains("tiff");
    }
    throw new BadInputException(
        name
            + (tiff
                ? ": a TIFF picture; only PNG, JPEG, BMP and GIF are read"
                : ": not an image (PNG, JPEG, BMP or GIF)"));
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
