package org.tfmnist.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.tfmnist.export.Outputs;

/**
 * Outputs as TF Serving writes them: row form {@code {"predictions": [...]}} (with several outputs
 * each prediction is an object keyed by output name: {@code {"class": 3, "probabilities": [...]}}),
 * columnar form {@code {"outputs": ...}} (an object of name to batch when there are several).
 * Non-finite numbers are written bare ({@code NaN}, {@code Infinity}), as TF Serving writes them
 * ({@link Json#FACTORY}).
 */
final class PredictResponse {

  private PredictResponse() {}

  static byte[] write(Outputs out, boolean columnar) {
    return Json.compact(
        g -> {
          g.writeStartObject();
          int n = out.specs().size();
          if (columnar) {
            g.writeFieldName("outputs");
            if (n == 1) {
              batch(g, out, 0);
            } else {
              g.writeStartObject();
              for (int i = 0; i < n; i++) {
                g.writeFieldName(out.specs().get(i).key());
                batch(g, out, i);
              }
              g.writeEndObject();
            }
          } else {
            g.writeFieldName("predictions");
            g.writeStartArray();
            for (int r = 0; r < out.rows(); r++) {
              if (n == 1) {
                row(g, out, 0, r);
              } else {
                g.writeStartObject();
                for (int i = 0; i < n; i++) {
                  g.writeFieldName(out.specs().get(i).key());
                  row(g, out, i, r);
                }
                g.writeEndObject();
              }
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        },
        256 + out.rows() * 256);
  }

  private static void batch(JsonGenerator g, Outputs out, int i) throws IOException {
    g.writeStartArray();
    for (int r = 0; r < out.rows(); r++) {
      row(g, out, i, r);
    }
    g.writeEndArray();
  }

  /** Row {@code r} of output {@code i}: a number, or nested lists of its row shape. */
  private static void row(JsonGenerator g, Outputs out, int i, int r) throws IOException {
    long[] shape = out.rowShape(i);
    int size = 1;
    for (long d : shape) {
      size *= (int) d;
    }
    values(g, out.data(i), r * size, shape, 0);
  }

  private static int values(JsonGenerator g, Object data, int at, long[] shape, int dim)
      throws IOException {
    if (dim == shape.length) {
      number(g, data, at);
      return at + 1;
    }
    g.writeStartArray();
    for (long k = 0; k < shape[dim]; k++) {
      at = values(g, data, at, shape, dim + 1);
    }
    g.writeEndArray();
    return at;
  }

  private static void number(JsonGenerator g, Object data, int i) throws IOException {
    if (data instanceof float[] f) {
      g.writeNumber(f[i]);
    } else if (data instanceof long[] l) {
      g.writeNumber(l[i]);
    } else if (data instanceof int[] n) {
      g.writeNumber(n[i]);
    } else {
      g.writeNumber(((double[]) data)[i]);
    }
  }
}
