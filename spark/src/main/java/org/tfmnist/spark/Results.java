package org.tfmnist.spark;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.tfmnist.data.Mnist;
import org.tfmnist.runtime.ServingModel;

/**
 * The job's output table: path, digit, probability, p0..p9 (the ten class probabilities, as the
 * model gave them), error. A picture that failed has a null digit and probabilities and its
 * one-line error; one that was recognised has a null error. Flat columns, so that CSV holds them as
 * well as Parquet.
 */
final class Results {

  static final StructType SCHEMA = schema();

  private Results() {}

  private static StructType schema() {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("path", DataTypes.StringType, false));
    f.add(DataTypes.createStructField("digit", DataTypes.IntegerType, true));
    f.add(DataTypes.createStructField("probability", DataTypes.FloatType, true));
    for (int i = 0; i < Mnist.CLASSES; i++) {
      f.add(DataTypes.createStructField("p" + i, DataTypes.FloatType, true));
    }
    f.add(DataTypes.createStructField("error", DataTypes.StringType, true));
    return DataTypes.createStructType(f);
  }

  /**
   * How a file is named in the output and in its error: a local file by its path, as predict names
   * it ("file:/data/a%20b.png" is "/data/a b.png"), anything else (hdfs://, s3a://) by its URI.
   */
  static String name(String uri) {
    URI u = URI.create(uri);
    return "file".equals(u.getScheme()) ? u.getPath() : uri;
  }

  /** A recognised picture: the most probable digit (the first on a tie, as predict picks it). */
  static Row of(String name, float[] p) {
    int digit = ServingModel.argmax(p);
    Object[] v = new Object[SCHEMA.size()];
    v[0] = name;
    v[1] = digit;
    v[2] = p[digit];
    for (int i = 0; i < Mnist.CLASSES; i++) {
      v[3 + i] = p[i];
    }
    return RowFactory.create(v);
  }

  /** A picture that could not be used, and why. */
  static Row failed(String name, String error) {
    Object[] v = new Object[SCHEMA.size()];
    v[0] = name;
    v[SCHEMA.size() - 1] = error;
    return RowFactory.create(v);
  }

  /**
   * A chunk's rows, in its order: image {@code k} failed with {@code errors[k]}, or is usable; the
   * usable ones, packed at the front of {@code batch} in their order, go through the model in one
   * call.
   */
  static List<Row> rows(ServingModel model, String[] names, String[] errors, float[] batch) {
    int good = (int) Arrays.stream(errors).filter(e -> e == null).count();
    float[][] probs =
        good == 0 ? new float[0][] : model.predict(Arrays.copyOf(batch, good * Mnist.PIXELS), good);
    List<Row> out = new ArrayList<>(names.length);
    int g = 0;
    for (int k = 0; k < names.length; k++) {
      out.add(errors[k] != null ? failed(names[k], errors[k]) : of(names[k], probs[g++]));
    }
    return out;
  }
}
