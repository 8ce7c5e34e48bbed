package org.tfmnist.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.tfmnist.data.Mnist;
import org.tfmnist.runtime.ServingModel;

/**
 * A table of 28x28 images already in MNIST's form (a data set exported to Parquet, say) to rows of
 * {@link Results}: no decoding or preprocessing, as {@code predict} takes an IDX file's images. The
 * table has a string column {@code path} naming each image and a column {@code pixels}: 784 bytes
 * (binary, 0-255, row-major, white on black, as in an IDX file) or 784 floats in [0, 1]. A row
 * whose pixels are missing, of another count or out of range is an error row.
 */
final class PixelRecognizer implements MapPartitionsFunction<Row, Row> {

  private final String modelDir;

  PixelRecognizer(String modelDir) {
    this.modelDir = modelDir;
  }

  /** Why {@code schema} is no pixel table, or null when it is one. */
  static String refuse(StructType schema) {
    List<String> names = List.of(schema.fieldNames());
    if (!names.contains("path") || !names.contains("pixels")) {
      return "a pixel table needs columns path and pixels; it has " + String.join(", ", names);
    }
    if (!(schema.apply("path").dataType().equals(DataTypes.StringType))) {
      return "column path is " + schema.apply("path").dataType().simpleString() + ", not string";
    }
    DataType t = schema.apply("pixels").dataType();
    boolean floats =
        t instanceof ArrayType a
            && (a.elementType().equals(DataTypes.FloatType)
                || a.elementType().equals(DataTypes.DoubleType));
    return t instanceof BinaryType || floats
        ? null
        : "column pixels is " + t.simpleString() + ", not binary or array<float|double>";
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    ServingModel model = ModelHolder.get(modelDir);
    return Chunks.map(rows, ServingModel.BATCH, chunk -> recognize(chunk, model));
  }

  private static List<Row> recognize(List<Row> rows, ServingModel model) {
    int n = rows.size();
    float[] batch = new float[n * Mnist.PIXELS];
    String[] names = new String[n];
    String[] errors = new String[n];
    int good = 0;
    for (int k = 0; k < n; k++) {
      Row r = rows.get(k);
      names[k] = name(r);
      String why = pixels(r, batch, good * Mnist.PIXELS);
      if (why == null) {
        good++;
      } else {
        errors[k] = names[k] + ": " + why;
      }
    }
    return Results.rows(model, names, errors, batch);
  }

  private static String name(Row r) {
    String p = r.getString(r.fieldIndex("path"));
    return p == null ? "(no path)" : p;
  }

  /**
   * Writes the image's 784 floats at {@code at}, scaled as the IDX reader scales bytes (b / 255);
   * or says why it cannot.
   */
  private static String pixels(Row r, float[] dst, int at) {
    int col = r.fieldIndex("pixels");
    if (r.isNullAt(col)) {
      return "no pixels";
    }
    Object v = r.get(col);
    if (v instanceof byte[] b) {
      if (b.length != Mnist.PIXELS) {
        return b.length + " pixels, not " + Mnist.PIXELS + " (28x28)";
      }
      for (int i = 0; i < b.length; i++) {
        dst[at + i] = (b[i] & 0xff) / 255f;
      }
      return null;
    }
    List<Object> list = r.getList(col);
    if (list.size() != Mnist.PIXELS) {
      return list.size() + " pixels, not " + Mnist.PIXELS + " (28x28)";
    }
    for (int i = 0; i < list.size(); i++) {
      Object o = list.get(i);
      float f = o == null ? Float.NaN : ((Number) o).floatValue();
      if (!(f >= 0 && f <= 1)) {
        return "pixel " + i + " is " + f + ", outside 0-1";
      }
      dst[at + i] = f;
    }
    return null;
  }
}
