package org.tfmnist.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.tfmnist.data.BadInputException;
import org.tfmnist.export.ExportException;
import org.tfmnist.image.ImageFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tf-mnist-spark}: recognises the digits in many pictures with Spark, as {@code tf-mnist
 * predict} does on one machine, and writes one row per picture (see {@link Results}). Run by {@code
 * spark-submit --class org.tfmnist.spark.RecognizeJob} or by {@code spark/run}.
 */
@Command(
    name = "tf-mnist-spark",
    mixinStandardHelpOptions = true,
    version = "tf-mnist-spark 0.1.0",
    description = {
      "Recognise handwritten digits in PNG, JPEG, BMP and GIF files with Spark, preprocessed and"
          + " predicted as `tf-mnist predict` does, and write a table: path, digit, probability,"
          + " p0..p9, error. A picture that cannot be used is a row with its error, not a failed"
          + " task."
    })
public final class RecognizeJob implements Callable<Integer> {

  /**
   * Spark's binaryFile source matches this against file names: predict's extensions, in any case
   * (Hadoop's globs have no case-insensitive flag).
   */
  static final String PICTURES =
      ImageFiles.EXTENSIONS.stream()
          .map(
              e ->
                  e.substring(1)
                      .chars()
                      .mapToObj(c -> "[" + (char) c + Character.toUpperCase((char) c) + "]")
                      .collect(Collectors.joining()))
          .collect(Collectors.joining(",", "*.{", "}"));

  /** Pictures per task by default: enough to batch, few enough to spread over the cores. */
  static final int PER_TASK = 500;

  @Parameters(
      paramLabel = "INPUT",
      arity = "1..*",
      description =
          "Pictures: files, directories (walked) or globs, on any file system Spark reads"
              + " (file:, hdfs:, s3a:).")
  List<String> inputs;

  @Option(
      names = {"-m", "--model"},
      required = true,
      paramLabel = "DIR",
      description =
          "SavedModel (a version directory or a model directory) at the same path on every"
              + " executor, or the name of one shipped with --archives model.zip#DIR.")
  String model;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "DIR",
      description = "Where to write the table (a directory of part files).")
  String output;

  @Option(
      names = "--format",
      paramLabel = "parquet|csv",
      defaultValue = "parquet",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master when not run by spark-submit (default: spark.master, else local[*]).")
  String master;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description =
          "Tasks to split the pictures into (default: about "
              + PER_TASK
              + " pictures a task, in whole waves over the cores).")
  Integer partitions;

  @Option(
      names = "--pixels",
      description =
          "INPUT are Parquet tables of 28x28 images in MNIST's form (an IDX file's, say): columns"
              + " path (string) and pixels (784 bytes 0-255, or 784 floats in [0,1]), recognised"
              + " without preprocessing.")
  boolean pixels;

  @Option(names = "--overwrite", description = "Replace the output directory if it exists.")
  boolean overwrite;

  private PrintStream out = System.out;

  /** A failure the user can act on: one line, exit 1. */
  static final class JobException extends RuntimeException {
    JobException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the job; the exit code: 0 done, 1 bad input or a failed job, 2 bad usage. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    RecognizeJob job = new RecognizeJob();
    job.out = out;
    CommandLine cl = new CommandLine(job);
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setParameterExceptionHandler(
        (e, a) -> {
          err.println("tf-mnist-spark: error: usage: " + e.getMessage() + " (see --help)");
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (e, c, p) -> {
          err.println("tf-mnist-spark: error: " + oneLine(e));
          return 1;
        });
    return cl.execute(args);
  }

  @Override
  public Integer call() throws IOException {
    String fmt = format.trim().toLowerCase(Locale.ROOT);
    if (!fmt.equals("parquet") && !fmt.equals("csv")) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--format: '" + format + "' is not parquet or csv");
    }
    if (partitions != null && partitions < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--partitions: " + partitions + " is not a positive number");
    }
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName("tf-mnist-spark");
    if (master != null || !conf.contains("spark.master")) {
      b = b.master(master != null ? master : "local[*]");
    }
    SparkSession spark = b.getOrCreate();
    try {
      return recognize(spark, fmt);
    } finally {
      spark.stop();
      // local mode: the driver JVM was the executor and goes on (a test, a caller)
      ModelHolder.closeAll();
    }
  }

  private int recognize(SparkSession spark, String fmt) throws IOException {
    Configuration hconf = spark.sparkContext().hadoopConfiguration();
    // on the driver first: a missing or broken model is one line here, not a failed task per file
    ModelHolder.get(model);
    checkInputs(hconf);
    Path outPath = new Path(output);
    if (!overwrite && outPath.getFileSystem(hconf).exists(outPath)) {
      throw new JobException(output + ": already exists (--overwrite replaces it)");
    }
    Dataset<Row> rows = pixels ? fromTables(spark) : fromPictures(spark, hconf);
    long t0 = System.nanoTime();
    rows.write()
        .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        .format(fmt)
        .option("header", "true")
        .save(output);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Dataset<Row> written =
        spark.read().format(fmt).option("header", "true").schema(Results.SCHEMA).load(output);
    // count(error) skips the nulls: the errors, in the same pass over the output
    Row counts = written.agg(functions.count(functions.lit(1)), functions.count("error")).first();
    long total = counts.getLong(0);
    long errors = counts.getLong(1);
    out.printf(
        Locale.ROOT,
        "Recognised %d %s (%d errors) in %.1f s: %.0f images/s; wrote %s (%s)%n",
        total,
        pixels ? "images" : "pictures",
        errors,
        seconds,
        total / seconds,
        output,
        fmt);
    return 0;
  }

  /** One row per picture file under the inputs. */
  private Dataset<Row> fromPictures(SparkSession spark, Configuration hconf) {
    // Spark's binaryFile source lists the pictures (globs, directories walked, hidden files left
    // out) but does not read them: its scan drops empty files without a word, and a file it cannot
    // read fails the task; each task reads its own files instead (see PictureRecognizer)
    String[] found =
        spark
            .read()
            .format("binaryFile")
            .option("pathGlobFilter", PICTURES)
            .option("recursiveFileLookup", "true")
            .load(inputs.toArray(String[]::new))
            .inputFiles();
    if (found.length == 0) {
      throw new JobException(
          String.join(" ", inputs) + ": no picture files (PNG, JPEG, BMP, GIF) found");
    }
    java.util.Arrays.sort(found);
    int par = spark.sparkContext().defaultParallelism();
    // tasks of about PER_TASK pictures (a few model runs each), a whole number of waves of them
    int tasks =
        partitions != null
            ? partitions
            : par * (int) Math.max(1, Math.ceil((double) found.length / PER_TASK / par));
    // parallelize cuts the sorted list into contiguous slices: no shuffle, no sampling job
    Dataset<String> files =
        spark.createDataset(
            JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(List.of(found), tasks)
                .rdd(),
            Encoders.STRING());
    Map<String, String> hadoop = new HashMap<>();
    hconf.forEach(e -> hadoop.put(e.getKey(), e.getValue()));
    return files.mapPartitions(new PictureRecognizer(model, hadoop), Encoders.row(Results.SCHEMA));
  }

  /** One row per row of the inputs' Parquet pixel tables (see PixelRecognizer). */
  private Dataset<Row> fromTables(SparkSession spark) {
    Dataset<Row> t = spark.read().parquet(inputs.toArray(String[]::new));
    String why = PixelRecognizer.refuse(t.schema());
    if (why != null) {
      throw new JobException(String.join(" ", inputs) + ": " + why);
    }
    t = t.select("path", "pixels");
    if (partitions != null) {
      t = t.repartition(partitions);
    }
    return t.mapPartitions(new PixelRecognizer(model), Encoders.row(Results.SCHEMA));
  }

  /** Every input must name something: a path or a glob that matches nothing is bad input. */
  private void checkInputs(Configuration hconf) throws IOException {
    for (String in : inputs) {
      Path p = new Path(in);
      FileStatus[] found = p.getFileSystem(hconf).globStatus(p);
      if (found == null || found.length == 0) {
        throw new JobException(in + ": no such file or directory");
      }
    }
  }

  /** The failure's own one line: ours as is; Spark's and the JDK's with their root cause. */
  static String oneLine(Throwable e) {
    if (e instanceof JobException
        || e instanceof BadInputException
        || e instanceof ExportException) {
      return e.getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return "the Spark job failed: " + m.strip().replaceAll("\\s*\\n\\s*", " ");
  }
}
