package org.tfmnist.keras;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.tfmnist.data.DataFiles;
import org.tfmnist.util.AtomicFile;
import org.tfmnist.util.ErrorReason;

/**
 * A Keras 3 {@code .keras} file: a zip of {@code metadata.json}, {@code config.json} and {@code
 * model.weights.h5}, in that order, stored uncompressed, as {@code saving_lib.save_model} writes
 * it. Reading refuses, in one line naming the file, a file that is not a whole zip, a missing
 * member, and a member larger than its limit or expanding more than 100 times its stored size (a
 * zip bomb).
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class KerasArchive {

  public static final String METADATA = "metadata.json";
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.weights.h5";

  /** The Keras version our files claim (the one they were checked against). */
  public static final String KERAS_VERSION = "3.15.1";

  /** The most a JSON member may hold: 16 MiB (a large model's config is a few hundred KB). */
  public static final long MAX_JSON_BYTES = 16L << 20;

  /** Keras' own bomb test: a member may expand at most 100 times its stored size. */
  static final long MAX_EXPANSION = 100;

  /** What a read archive holds. */
  public record Contents(String configJson, String metadataJson, byte[] weightsH5) {}

  private KerasArchive() {}

  /** Writes {@code file} atomically from the config JSON and the weights file's bytes. */
  public static void write(Path file, String configJson, byte[] weightsH5) {
    String metadata =
        "{\"keras_version\": \""
            + KERAS_VERSION
            + "\", \"date_saved\": \""
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss"))
            + "\"}";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(weightsH5.length + 65536);
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      // Python's zf.open(name, "w") dates a member 1980-01-01; writestr dates it now
      LocalDateTime epoch = LocalDateTime.of(1980, 1, 1, 0, 0);
      stored(zip, METADATA, metadata.getBytes(StandardCharsets.UTF_8), epoch);
      stored(zip, CONFIG, configJson.getBytes(StandardCharsets.UTF_8), epoch);
      stored(zip, WEIGHTS, weightsH5, LocalDateTime.now());
    } catch (IOException e) {
      throw new KerasFileException(file, "cannot write: " + ErrorReason.of(e), e);
    }
    try {
      AtomicFile.write(file, bytes.toByteArray());
    } catch (IOException e) {
      throw new KerasFileException(file, "cannot write: " + ErrorReason.of(e), e);
    }
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data, LocalDateTime time)
      throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTimeLocal(time);
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /** Reads the three members of {@code file}. */
  public static Contents read(Path file) {
    DataFiles.requireRegular(file);
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String config = new String(member(file, zip, CONFIG, MAX_JSON_BYTES), StandardCharsets.UTF_8);
      ZipEntry meta = zip.getEntry(METADATA);
      String metadata =
          meta == null
              ? null
              : new String(member(file, zip, METADATA, MAX_JSON_BYTES), StandardCharsets.UTF_8);
      if (zip.getEntry(WEIGHTS) == null) {
        throw new KerasFileException(
            file,
            "no "
                + WEIGHTS
                + " in the archive"
                + (zip.getEntry("model.weights.npz") != null
                    ? " (weights saved as .npz are not supported)"
                    : ""));
      }
      byte[] weights = member(file, zip, WEIGHTS, KerasWeightsFile.MAX_BYTES);
      return new Contents(config, metadata, weights);
    } catch (ZipException e) {
      throw new KerasFileException(
          file, "not a .keras file: not a whole zip archive (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new KerasFileException(file, "cannot read: " + ErrorReason.of(e), e);
    }
  }

  /** One member's bytes, within {@code limit} whatever its header declares. */
  private static byte[] member(Path file, ZipFile zip, String name, long limit) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new KerasFileException(file, "no " + name + " in the archive: not a Keras 3 model");
    }
    long size = e.getSize();
    long stored = e.getCompressedSize();
    if (size > limit) {
      throw new KerasFileException(
          file, name + " declares " + size + " bytes, more than it may hold (" + limit + ")");
    }
    if (size > (1 << 20) && stored >= 0 && size > MAX_EXPANSION * stored) {
      throw new KerasFileException(
          file,
          name
              + " declares "
              + size
              + " bytes but stores only "
              + stored
              + ": refusing a likely zip bomb");
    }
    try (InputStream in = zip.getInputStream(e)) {
      byte[] b = DataFiles.readUpTo(in, (int) Math.min(limit, size < 0 ? limit : size));
      if (!DataFiles.atEnd(in)) {
        throw new KerasFileException(file, name + " holds more bytes than it declares");
      }
      if (size >= 0 && b.length != size) {
        throw new KerasFileException(
            file, name + " is cut short: " + b.length + " of " + size + " bytes");
      }
      return b;
    } catch (ZipException z) {
      throw new KerasFileException(file, name + " is damaged: " + z.getMessage(), z);
    }
  }
}
