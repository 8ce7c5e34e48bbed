package org.tfmnist.eval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.tfmnist.util.AtomicFile;

/** Writes a float32 matrix as a NumPy {@code .npy} file ({@code np.load} reads it). */
public final class Npy {

  private Npy() {}

  /** Writes {@code rows} (all of one length) as a float32 {@code .npy} of shape [rows, columns]. */
  public static void write(Path file, float[][] rows) throws IOException {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows.length + ", " + cols + "), }";
    // magic (6) + version (2) + header length (2) + header, padded to a multiple of 64, '\n' last
    int unpadded = 10 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(10 + header.length() + rows.length * cols * 4)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 1)
        .put((byte) 0)
        .putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    for (float[] r : rows) {
      for (float v : r) {
        b.putFloat(v);
      }
    }
    AtomicFile.write(file, b.array());
  }
}
