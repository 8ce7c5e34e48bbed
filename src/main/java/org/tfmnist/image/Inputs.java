package org.tfmnist.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tfmnist.data.BadInputException;
import org.tfmnist.data.DataFiles;
import org.tfmnist.data.Idx;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.data.Mnist;
import org.tfmnist.data.Npz;
import org.tfmnist.util.ErrorReason;

/**
 * What {@code predict} was given, as a list of inputs: image files (directories walked, sorted), or
 * images picked by index from an IDX file or a Keras npz. A path that is neither is an input that
 * fails with its own one-line error, so the others are still predicted.
 */
public final class Inputs {

  private Inputs() {}

  /** One thing to predict: a picture file, or one image of a data-set file. */
  public sealed interface Input permits ImageFile, DatasetImage, Broken {
    String name();
  }

  /** An image file to decode and preprocess. */
  public record ImageFile(Path path) implements Input {
    @Override
    public String name() {
      return path.toString();
    }
  }

  /** An image of a data-set file: already 28x28 white on black; label when the file has one. */
  public record DatasetImage(String name, LabeledImages images, int index) implements Input {

    /** The image's pixels scaled to [0, 1], made when asked: a file's images are not all copied. */
    public float[] pixels() {
      return images.imageAsFloats(index);
    }

    /** The label from the labels file beside the images, or -1 without one. */
    public int label() {
      return images.label(index);
    }
  }

  /** An input that failed before preprocessing (a missing path, a bad data-set file). */
  public record Broken(String name, String error) implements Input {}

  /**
   * Expands the command line's paths. {@code indices} (may be null) selects images of IDX / npz
   * files; without it such files contribute all their images.
   */
  public static List<Input> expand(List<Path> paths, int[] indices) {
    List<Input> out = new ArrayList<>();
    for (Path p : paths) {
      // missing, a dangling link, a FIFO, a device: never opened (a FIFO would block the open,
      // /dev/zero never ends)
      String notRegular = Files.isDirectory(p) ? null : DataFiles.notRegular(p);
      if (Files.isDirectory(p)) {
        List<Input> found = walk(p);
        if (found.isEmpty()) {
          out.add(new Broken(p.toString(), p + ": no image files (PNG, JPEG, BMP, GIF) in it"));
        }
        out.addAll(found);
      } else if (notRegular != null) {
        out.add(new Broken(p.toString(), p + ": " + notRegular));
      } else if (isDataset(p)) {
        try {
          out.addAll(datasetImages(p, indices));
        } catch (BadInputException e) {
          out.add(new Broken(p.toString(), e.getMessage()));
        }
      } else {
        out.add(new ImageFile(p));
      }
    }
    return out;
  }

  /**
   * The pictures under {@code dir}, sorted, following symbolic links (a loop is reported, not
   * followed); a subdirectory that cannot be listed, and a picture's name that is no regular file
   * (a dangling link, a FIFO), is an input with its own error, and the rest of the walk goes on.
   */
  private static List<Input> walk(Path dir) {
    java.util.TreeMap<Path, Input> found = new java.util.TreeMap<>();
    try {
      Files.walkFileTree(
          dir,
          java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(
                Path d, java.nio.file.attribute.BasicFileAttributes attrs) {
              return !d.equals(dir) && d.getFileName().toString().startsWith(".")
                  ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                  : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(
                Path f, java.nio.file.attribute.BasicFileAttributes attrs) {
              if (!ImageFiles.looksLikeImage(f) || f.getFileName().toString().startsWith(".")) {
                return java.nio.file.FileVisitResult.CONTINUE;
              }
              // a picture's name on a dangling link, a FIFO or a device is a failed input, as the
              // same path given on the command line is, never silently left out
              found.put(
                  f,
                  attrs.isRegularFile()
                      ? new ImageFile(f)
                      : new Broken(f.toString(), f + ": " + DataFiles.notRegular(f)));
              return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
              String why =
                  e instanceof java.nio.file.FileSystemLoopException
                      ? "a symbolic link loop (not followed)"
                      : ErrorReason.of(e);
              found.put(f, new Broken(f.toString(), f + ": cannot list: " + why));
              return java.nio.file.FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      found.put(
          dir,
          new Broken(dir.toString(), dir + ": cannot list the directory: " + ErrorReason.of(e)));
    }
    return List.copyOf(found.values());
  }

  /** A data-set file: by its name (npz, IDX), or by the IDX magic number in its first bytes. */
  static boolean isDataset(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".npz") || n.contains("ubyte") || n.endsWith(".idx") || n.endsWith(".idx.gz")) {
      return true;
    }
    byte[] head = new byte[4];
    try (java.io.InputStream in = Files.newInputStream(p)) {
      // IDX: two zero bytes, type 0x08 (unsigned byte), then 1 to 3 dimensions
      return in.readNBytes(head, 0, 4) == 4
          && head[0] == 0
          && head[1] == 0
          && head[2] == 0x08
          && head[3] >= 1
          && head[3] <= 3;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<Input> datasetImages(Path p, int[] indices) {
    LabeledImages images;
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".npz")) {
      images = Npz.readMnist(p).test();
    } else {
      Idx.Array a = Idx.read(p);
      if (a.dims().length != 3) {
        throw BadInputException.of(
            p, "not an IDX images file (it has " + a.dims().length + " dimensions, images have 3)");
      }
      Path labels = siblingLabels(p);
      byte[] l = new byte[a.dim(0)];
      java.util.Arrays.fill(l, (byte) -1);
      if (labels != null) {
        Idx.Array la = Idx.read(labels);
        if (la.dims().length != 1 || la.dim(0) != a.dim(0)) {
          throw BadInputException.of(
              labels,
              "holds "
                  + (la.dims().length == 1 ? la.dim(0) + " labels" : "no label list")
                  + " for the "
                  + a.dim(0)
                  + " images of "
                  + p);
        }
        for (int i = 0; i < la.dim(0); i++) {
          int v = la.data()[i] & 0xff;
          if (v > 9) {
            throw BadInputException.of(labels, "label " + i + " is " + v + ", outside 0-9");
          }
        }
        l = la.data();
      }
      images = new LabeledImages(a.data(), l, a.dim(0), a.dim(1), a.dim(2));
    }
    if (images.count() == 0) {
      throw BadInputException.of(p, "holds no images");
    }
    if (images.rows() != Mnist.SIDE || images.cols() != Mnist.SIDE) {
      throw BadInputException.of(
          p, "images are " + images.rows() + "x" + images.cols() + ", not 28x28");
    }
    List<Input> out = new ArrayList<>();
    int[] idx =
        indices != null ? indices : java.util.stream.IntStream.range(0, images.count()).toArray();
    for (int i : idx) {
      if (i < 0 || i >= images.count()) {
        out.add(
            new Broken(
                p + "[" + i + "]", p + ": index " + i + " is outside 0-" + (images.count() - 1)));
      } else {
        out.add(new DatasetImage(p + "[" + i + "]", images, i));
      }
    }
    return out;
  }

  /** t10k-images-idx3-ubyte goes with t10k-labels-idx1-ubyte in the same directory. */
  private static Path siblingLabels(Path images) {
    String n = images.getFileName().toString();
    if (!n.contains("images")) {
      return null;
    }
    Path l = images.resolveSibling(n.replace("images", "labels").replace("idx3", "idx1"));
    return Files.isRegularFile(l) ? l : null;
  }

  /** The most images {@code --index} may pick (a data file within the size limit holds fewer). */
  public static final int MAX_INDICES = 1_000_000;

  /**
   * Parses "3", "0-9", "1,5,7-9" into indices; a negative index, a reversed range, an empty list or
   * more than {@value #MAX_INDICES} indices is an IllegalArgumentException (bad usage).
   */
  public static int[] parseIndices(String spec) {
    List<Integer> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String t = part.trim();
      if (t.isEmpty()) {
        continue;
      }
      int a;
      int b;
      try {
        int dash = t.indexOf('-', 1);
        a = Integer.parseInt((dash > 0 ? t.substring(0, dash) : t).trim());
        b = dash > 0 ? Integer.parseInt(t.substring(dash + 1).trim()) : a;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + t + "' is not an index or a range");
      }
      if (a < 0 || b < 0) {
        throw new IllegalArgumentException("'" + t + "' is negative: images are numbered from 0");
      }
      if (b < a) {
        throw new IllegalArgumentException("'" + t + "' is not a range a-b with a <= b");
      }
      if (out.size() + (long) b - a + 1 > MAX_INDICES) {
        throw new IllegalArgumentException("more than " + MAX_INDICES + " indices");
      }
      for (long i = a; i <= b; i++) {
        out.add((int) i);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no index in it");
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
