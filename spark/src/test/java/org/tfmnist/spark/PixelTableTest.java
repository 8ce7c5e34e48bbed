package org.tfmnist.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tfmnist.data.Idx;
import org.tfmnist.data.Mnist;

/**
 * {@code --pixels}: MNIST's first 1,000 test images as a Parquet table, bytes and floats, against
 * {@code tf-mnist predict --index 0-999} on the IDX file; rows with bad pixels become error rows.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PixelTableTest {

  @BeforeAll
  static void fixture() throws Exception {
    CheckFixture.make();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void tablesGetPredictsAnswersForTheIdxImages() throws Exception {
    Idx.Array images = Idx.read(CheckFixture.TEST_IMAGES);
    int n = CheckFixture.IDX_IMAGES;
    List<Row> bytes = new ArrayList<>();
    List<Row> floats = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = CheckFixture.TEST_IMAGES + "[" + i + "]";
      byte[] px = Arrays.copyOfRange(images.data(), i * Mnist.PIXELS, (i + 1) * Mnist.PIXELS);
      bytes.add(RowFactory.create(name, px));
      if (i < 100) {
        List<Float> f = new ArrayList<>();
        for (byte b : px) {
          f.add((b & 0xff) / 255f);
        }
        floats.add(RowFactory.create(name, f));
      }
    }
    bytes.add(RowFactory.create("short", new byte[10]));
    bytes.add(RowFactory.create("none", null));
    List<Float> high = new ArrayList<>(java.util.Collections.nCopies(Mnist.PIXELS, 0f));
    high.set(5, 2f);
    floats.add(RowFactory.create("high", high));

    Path bytesTable = CheckFixture.DIR.resolve("pixels-bytes");
    Path floatsTable = CheckFixture.DIR.resolve("pixels-floats");
    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    try {
      write(spark, bytes, DataTypes.BinaryType, bytesTable);
      write(spark, floats, DataTypes.createArrayType(DataTypes.FloatType), floatsTable);
    } finally {
      spark.stop();
    }

    Map<String, Object> errors = new HashMap<>();
    errors.put("short", "short: 10 pixels, not 784 (28x28)");
    errors.put("none", "none: no pixels");
    errors.put("high", "high: pixel 5 is 2.0, outside 0-1");
    Map<String, Map<String, Object>> want = expected();
    check(bytesTable, n + 2, want, errors);
    check(floatsTable, 101, want, errors);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aTableWithoutPixelsIsOneLineAndExit1() {
    // a results table (path, digit, ...): a table, but not of pixels; written here, so that the
    // test does not depend on another class having run first
    Path notTable = CheckFixture.DIR.resolve("results-table");
    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    try {
      spark
          .createDataFrame(List.of(Results.failed("a.png", "a.png: empty file")), Results.SCHEMA)
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(notTable.toString());
    } finally {
      spark.stop();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        RecognizeJob.run(
            new String[] {
              "--master",
              "local[1]",
              "--pixels",
              "-m",
              CheckFixture.MODEL.toString(),
              "-o",
              CheckFixture.DIR.resolve("out-pixels-bad").toString(),
              "--overwrite",
              notTable.toString()
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, code);
    String line = err.toString(StandardCharsets.UTF_8);
    assertTrue(
        line.startsWith(
            "tf-mnist-spark: error: "
                + notTable
                + ": a pixel table needs columns path and pixels; it has path, digit,"),
        line);
    assertEquals(1, line.lines().count(), line);
  }

  private static void write(SparkSession spark, List<Row> rows, DataType pixels, Path to) {
    StructType schema =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("path", DataTypes.StringType, false),
                DataTypes.createStructField("pixels", pixels, true)));
    spark.createDataFrame(rows, schema).write().mode(SaveMode.Overwrite).parquet(to.toString());
  }

  private static Map<String, Map<String, Object>> expected() throws Exception {
    Map<String, Map<String, Object>> want = new HashMap<>();
    for (Object o : JSON.std.listFrom(Files.readString(CheckFixture.PREDICT_IDX_JSON))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) o;
      want.put((String) m.get("file"), m);
    }
    assertEquals(CheckFixture.IDX_IMAGES, want.size());
    return want;
  }

  private static void check(
      Path table, int rows, Map<String, Map<String, Object>> want, Map<String, Object> errors) {
    Path out = CheckFixture.DIR.resolve("out-" + table.getFileName());
    ByteArrayOutputStream so = new ByteArrayOutputStream();
    ByteArrayOutputStream se = new ByteArrayOutputStream();
    int code =
        RecognizeJob.run(
            new String[] {
              "--master",
              "local[2]",
              "--pixels",
              "-m",
              CheckFixture.MODEL.toString(),
              "-o",
              out.toString(),
              "--overwrite",
              table.toString()
            },
            new PrintStream(so, true, StandardCharsets.UTF_8),
            new PrintStream(se, true, StandardCharsets.UTF_8));
    assertEquals(0, code, se.toString(StandardCharsets.UTF_8));
    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    List<Row> got;
    try {
      got = spark.read().parquet(out.toString()).collectAsList();
    } finally {
      spark.stop();
    }
    assertEquals(rows, got.size());
    for (Row r : got) {
      String path = r.getString(r.fieldIndex("path"));
      String error = r.getString(r.fieldIndex("error"));
      if (errors.containsKey(path)) {
        assertEquals(errors.get(path), error, path);
        continue;
      }
      Map<String, Object> w = want.get(path);
      assertNotNull(w, path);
      assertEquals(null, error, path);
      assertEquals(((Number) w.get("digit")).intValue(), r.getInt(r.fieldIndex("digit")), path);
      assertEquals(
          ((Number) w.get("probability")).doubleValue(),
          r.getFloat(r.fieldIndex("probability")),
          1e-6,
          path);
    }
  }
}
