package org.tfmnist.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tfmnist.data.Mnist;

/**
 * The job at local[2] against {@code tf-mnist predict} on the same 2,004 files: the same digit and
 * probability for every picture, the same error for every bad file.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RecognizeJobTest {

  @BeforeAll
  static void fixture() throws Exception {
    CheckFixture.make();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyFileGetsPredictsAnswer() throws Exception {
    Path out = CheckFixture.DIR.resolve("out-test");
    Run r =
        run(
            "--master",
            "local[2]",
            "-m",
            CheckFixture.MODEL.toString(),
            "-o",
            out.toString(),
            "--overwrite",
            CheckFixture.PICS.toString());
    assertEquals(0, r.code, r.err);
    assertTrue(r.out.startsWith("Recognised 2004 pictures (4 errors)"), r.out);

    Map<String, Map<String, Object>> expected = new HashMap<>();
    for (Object o : JSON.std.listFrom(Files.readString(CheckFixture.PREDICT_JSON))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) o;
      expected.put((String) m.get("file"), m);
    }
    assertEquals(2004, expected.size());

    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    List<Row> rows;
    try {
      rows = spark.read().parquet(out.toString()).collectAsList();
    } finally {
      spark.stop();
    }
    assertEquals(expected.size(), rows.size());
    int errors = 0;
    for (Row row : rows) {
      String path = row.getString(row.fieldIndex("path"));
      Map<String, Object> want = expected.remove(path);
      assertNotNull(want, path + ": not among predict's files, or twice in the job's");
      String error = row.getString(row.fieldIndex("error"));
      if (want.containsKey("error")) {
        errors++;
        assertEquals(want.get("error"), error, path);
        assertTrue(row.isNullAt(row.fieldIndex("digit")), path);
        continue;
      }
      assertNull(error, path);
      int digit = row.getInt(row.fieldIndex("digit"));
      float p = row.getFloat(row.fieldIndex("probability"));
      assertEquals(((Number) want.get("digit")).intValue(), digit, path);
      // predict prints six decimals: the job's float may differ by the rounding, 5e-7
      assertEquals(((Number) want.get("probability")).doubleValue(), p, 1e-6, path);
      float sum = 0;
      for (int i = 0; i < Mnist.CLASSES; i++) {
        float pi = row.getFloat(row.fieldIndex("p" + i));
        sum += pi;
        assertTrue(pi <= p, path + ": p" + i + " above the digit's probability");
      }
      assertEquals(p, row.getFloat(row.fieldIndex("p" + digit)), 0, path);
      assertEquals(1.0, sum, 1e-5, path);
    }
    assertEquals(4, errors);
    assertTrue(expected.isEmpty(), "not in the job's output: " + expected.keySet());
  }

  @Test
  void aModelIsLoadedOncePerJvm() throws Exception {
    String dir = CheckFixture.MODEL.toString();
    try {
      assertTrue(ModelHolder.get(dir) == ModelHolder.get(dir));
    } finally {
      ModelHolder.closeAll();
    }
  }

  @Test
  void badUsageIsOneLineAndExit2() {
    Run none = run();
    assertEquals(2, none.code);
    assertEquals(
        "tf-mnist-spark: error: usage: Missing required options and parameters: '--model=DIR', '--output=DIR',"
            + " 'INPUT' (see --help)\n",
        none.err);
    Run fmt = run("-m", "m", "-o", "o", "--format", "xml", "in");
    assertEquals(2, fmt.code);
    assertEquals(
        "tf-mnist-spark: error: usage: --format: 'xml' is not parquet or csv (see --help)\n",
        fmt.err);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void badInputIsOneLineAndExit1() throws Exception {
    Path out = CheckFixture.DIR.resolve("out-bad");
    Run model = run("--master", "local[1]", "-m", "/nonexistent/model", "-o", out.toString(), "x");
    assertEquals(1, model.code);
    assertEquals("tf-mnist-spark: error: /nonexistent/model: no such model directory\n", model.err);

    String m = CheckFixture.MODEL.toString();
    Run input = run("--master", "local[1]", "-m", m, "-o", out.toString(), "/nonexistent/*.png");
    assertEquals(1, input.code);
    assertEquals(
        "tf-mnist-spark: error: /nonexistent/*.png: no such file or directory\n", input.err);

    Files.createDirectories(out);
    Run exists =
        run(
            "--master",
            "local[1]",
            "-m",
            m,
            "-o",
            out.toString(),
            CheckFixture.PICS.resolve("bad").toString());
    assertEquals(1, exists.code);
    assertEquals(
        "tf-mnist-spark: error: " + out + ": already exists (--overwrite replaces it)\n",
        exists.err);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void csvHoldsTheSameColumns() throws Exception {
    Path out = CheckFixture.DIR.resolve("out-csv-test");
    Run r =
        run(
            "--master",
            "local[1]",
            "-m",
            CheckFixture.MODEL.toString(),
            "-o",
            out.toString(),
            "--format",
            "csv",
            "--overwrite",
            CheckFixture.PICS.resolve("bad").toString());
    assertEquals(0, r.code, r.err);
    assertTrue(r.out.startsWith("Recognised 4 pictures (4 errors)"), r.out);
    StringBuilder all = new StringBuilder();
    try (var s = Files.list(out)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
        all.append(Files.readString(p));
      }
    }
    assertTrue(
        all.toString().startsWith("path,digit,probability,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,error\n"),
        all.toString());
    assertTrue(
        all.toString()
            .contains(
                ",,,,,,,,,,,,," + CheckFixture.PICS.resolve("bad/empty.png") + ": empty file\n"),
        all.toString());
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        RecognizeJob.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
