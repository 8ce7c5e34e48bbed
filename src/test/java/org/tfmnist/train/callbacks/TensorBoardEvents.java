package org.tfmnist.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Reads back the scalars TensorFlow's summary writer put in a TensorBoard run directory, without
 * TensorBoard: the TFRecord framing, then each record as an {@code Event} proto.
 */
public final class TensorBoardEvents {

  private TensorBoardEvents() {}

  /** The scalars of the one event file in {@code dir}: tag to step to value. */
  public static Map<String, Map<Long, Float>> scalars(Path dir) throws IOException {
    Map<String, Map<Long, Float>> out = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
    }
    assertEquals(1, files.size(), files.toString());
    for (byte[] record : records(Files.readAllBytes(files.get(0)))) {
      Event e = parse(record);
      if (e.hasSummary()) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          out.computeIfAbsent(v.getTag(), k -> new TreeMap<>())
              .put(e.getStep(), v.getSimpleValue());
        }
      }
    }
    return out;
  }

  /** TFRecord framing: length (8 bytes), its CRC (4), the data, its CRC (4); little-endian. */
  private static List<byte[]> records(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> out = new ArrayList<>();
    while (b.remaining() > 0) {
      int n = (int) b.getLong();
      b.getInt();
      byte[] data = new byte[n];
      b.get(data);
      b.getInt();
      out.add(data);
    }
    return out;
  }

  private static Event parse(byte[] record) {
    try {
      return Event.parseFrom(record);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not an Event record", e);
    }
  }
}
