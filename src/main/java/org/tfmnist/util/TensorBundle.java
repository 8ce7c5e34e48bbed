package org.tfmnist.util;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;

/**
 * Checks a TensorFlow checkpoint ({@code PREFIX.index} and its {@code PREFIX.data-NNNNN-of-NNNNN}
 * shards) before TensorFlow reads it: every file present, and every shard at least as long as the
 * tensors its index places in it. TensorFlow's own reports of these ("Read less bytes than
 * requested", or, with no files at all, a variable "uninitialized" when the model first runs) name
 * neither the file nor the fault.
 *
 * <p>The index is a LevelDB-style table (TensorFlow writes it uncompressed): data blocks of
 * prefix-compressed key/value entries, an index block pointing at them, and a 48-byte footer. Its
 * entries are {@link BundleEntryProto}s by tensor name, and a {@link BundleHeaderProto} under the
 * empty key. Contents (checksums) are left to TensorFlow.
 */
public final class TensorBundle {

  private static final long MAGIC = 0xdb4775248b80fb57L;
  private static final int FOOTER = 48;
  private static final int TRAILER = 5; // a block's compression type and checksum

  private TensorBundle() {}

  /** What is wrong with the checkpoint at {@code prefix}, in words naming the file, or empty. */
  public static Optional<String> problem(Path prefix) {
    Path index = Path.of(prefix + ".index");
    if (!Files.isRegularFile(index)) {
      return Optional.of("the variables are missing: " + index);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(index);
    } catch (IOException e) {
      return Optional.of(index + ": cannot read the variables' index: " + e.getMessage());
    }
    long[] needed;
    try {
      needed = shardLengths(bytes);
    } catch (RuntimeException | InvalidProtocolBufferException e) {
      return Optional.of(
          "the variables are corrupt: " + index + " is not a readable checkpoint index");
    }
    if (needed == null) {
      return Optional.empty(); // a compressed index: not ours to read
    }
    for (int i = 0; i < needed.length; i++) {
      Path shard =
          Path.of(prefix + String.format(Locale.ROOT, ".data-%05d-of-%05d", i, needed.length));
      if (!Files.isRegularFile(shard)) {
        return Optional.of("the variables are missing: " + shard);
      }
      try {
        long size = Files.size(shard);
        if (size < needed[i]) {
          return Optional.of(
              "the variables are corrupt: "
                  + shard
                  + " holds "
                  + size
                  + " bytes, its index lists "
                  + needed[i]
                  + " (a truncated copy?)");
        }
      } catch (IOException e) {
        return Optional.of(shard + ": cannot read the variables: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * The bytes each shard must hold (the end of its last tensor), or null for an index with
   * compressed blocks.
   */
  public static long[] shardLengths(byte[] table) throws InvalidProtocolBufferException {
    ByteBuffer footer =
        ByteBuffer.wrap(table, table.length - FOOTER, FOOTER).order(ByteOrder.LITTLE_ENDIAN);
    if (footer.getLong(table.length - 8) != MAGIC) {
      throw new IllegalArgumentException("no table magic");
    }
    varint(footer); // the metaindex block: empty in a checkpoint
    varint(footer);
    long indexOffset = varint(footer);
    long indexSize = varint(footer);
    long[] needed = null;
    for (byte[] handle : entries(table, indexOffset, indexSize).values) {
      ByteBuffer h = ByteBuffer.wrap(handle);
      long offset = varint(h);
      long size = varint(h);
      if (offset + size + TRAILER > table.length - FOOTER) {
        throw new IllegalArgumentException("a block past the end");
      }
      if (table[Math.toIntExact(offset + size)] != 0) {
        return null;
      }
      Block block = entries(table, offset, size);
      for (int i = 0; i < block.keys.length; i++) {
        if (block.keys[i].length == 0) {
          int shards = BundleHeaderProto.parseFrom(block.values[i]).getNumShards();
          needed = needed == null ? new long[shards] : Arrays.copyOf(needed, shards);
          continue;
        }
        BundleEntryProto e = BundleEntryProto.parseFrom(block.values[i]);
        if (needed == null || e.getShardId() >= needed.length) {
          throw new IllegalArgumentException("an entry before the header or past the shards");
        }
        needed[e.getShardId()] = Math.max(needed[e.getShardId()], e.getOffset() + e.getSize());
      }
    }
    if (needed == null) {
      throw new IllegalArgumentException("no header");
    }
    return needed;
  }

  /** A block's keys and values, in order. */
  private record Block(byte[][] keys, byte[][] values) {}

  private static Block entries(byte[] table, long offset, long size) {
    ByteBuffer b =
        ByteBuffer.wrap(table, Math.toIntExact(offset), Math.toIntExact(size))
            .slice()
            .order(ByteOrder.LITTLE_ENDIAN);
    int restarts = b.getInt(b.limit() - 4);
    int end = b.limit() - 4 - 4 * restarts;
    if (restarts < 0 || end < 0) {
      throw new IllegalArgumentException("bad block");
    }
    java.util.List<byte[]> keys = new java.util.ArrayList<>();
    java.util.List<byte[]> values = new java.util.ArrayList<>();
    byte[] key = new byte[0];
    while (b.position() < end) {
      int shared = Math.toIntExact(varint(b));
      int own = Math.toIntExact(varint(b));
      int valueLength = Math.toIntExact(varint(b));
      byte[] next = Arrays.copyOf(key, shared + own);
      b.get(next, shared, own);
      byte[] value = new byte[valueLength];
      b.get(value);
      keys.add(next);
      values.add(value);
      key = next;
    }
    return new Block(keys.toArray(byte[][]::new), values.toArray(byte[][]::new));
  }

  private static long varint(ByteBuffer b) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b.get();
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("bad varint");
  }
}
