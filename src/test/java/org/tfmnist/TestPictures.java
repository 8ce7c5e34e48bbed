package org.tfmnist;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Pictures made byte by byte for tests. */
public final class TestPictures {

  private TestPictures() {}

  /** A few-byte PNG whose header declares a w x h grey canvas. */
  public static byte[] hugeHeaderPng(int w, int h) {
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(w)
            .putInt(h)
            .put((byte) 8)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(b, "IHDR", ihdr.array());
    chunk(b, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(b, "IEND", new byte[0]);
    return b.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream b, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    b.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    b.writeBytes(t);
    b.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    b.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
