package org.tfmnist.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Every JSON body the server writes goes through here, written by Jackson's generator (so strings
 * are always escaped): compact for predictions, pretty for status and metadata (people read those
 * with curl), one line for small objects such as {@code {"error": "..."}}.
 */
final class Json {

  /**
   * Non-finite numbers are written bare ({@code NaN}, {@code Infinity}), as TF Serving writes them.
   */
  static final JsonFactory FACTORY =
      JsonFactory.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

  /**
   * Two-space indents and {@code "key": value}, as protobuf's JSON printer writes them. A template
   * only: a DefaultPrettyPrinter counts its nesting as it writes, so each body takes its own copy
   * (one shared instance lost its indents under concurrent status requests).
   */
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter()
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER));

  /**
   * One line, {@code {"status": "ok", "models": 2}}: what the health and error bodies look like.
   */
  private static final PrettyPrinter ONE_LINE =
      new MinimalPrettyPrinter() {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
          g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
          g.writeRaw(", ");
        }
      };

  private Json() {}

  /** What writes a body, given the generator. */
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** Compact JSON, for answers read by programs. */
  static byte[] compact(Body body) {
    return compact(body, 256);
  }

  /** As {@link #compact(Body)}, with a guess of its size (a large batch's answer grows less). */
  static byte[] compact(Body body, int sizeHint) {
    return write(body, null, false, sizeHint);
  }

  /** Pretty-printed JSON and a newline. */
  static byte[] pretty(Body body) {
    return write(body, PRETTY.createInstance(), true, 1024);
  }

  /** A small object of strings and numbers on one line, keys in the map's order, and a newline. */
  static byte[] object(Map<String, ?> object) {
    return write(
        g -> {
          g.writeStartObject();
          for (Map.Entry<String, ?> e : object.entrySet()) {
            g.writeFieldName(e.getKey());
            if (e.getValue() instanceof Number n) {
              g.writeNumber(n.toString());
            } else {
              g.writeString(e.getValue().toString());
            }
          }
          g.writeEndObject();
        },
        ONE_LINE,
        true,
        128);
  }

  private static byte[] write(Body body, PrettyPrinter printer, boolean newline, int size) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
    try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
      if (printer != null) {
        g.setPrettyPrinter(printer);
      }
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (newline) {
      bytes.write('\n');
    }
    return bytes.toByteArray();
  }
}
