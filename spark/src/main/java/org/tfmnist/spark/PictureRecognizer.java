package org.tfmnist.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.AccessControlException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.tfmnist.data.BadInputException;
import org.tfmnist.data.Mnist;
import org.tfmnist.image.DigitPreprocessor;
import org.tfmnist.image.ImageFiles;
import org.tfmnist.predict.Predictor;
import org.tfmnist.runtime.ServingModel;

/**
 * One partition's pictures to rows of {@link Results}: each file is read, decoded and preprocessed
 * exactly as {@code tf-mnist predict} does it (ImageFiles, DigitPreprocessor), then the good ones
 * go through the model {@link ServingModel#BATCH} at a time. A file that cannot be used becomes a
 * row with its one-line error, worded as {@code predict} words it, and never fails the task.
 */
final class PictureRecognizer implements MapPartitionsFunction<String, Row> {

  /**
   * Files larger than this are error rows, not read: a file is held whole in the task's memory
   * (predict streams it from disk instead), and the largest picture predict decodes unshrunk, 4
   * megapixels, is far smaller even as an uncompressed BMP.
   */
  static final long MAX_BYTES = 256L << 20;

  private static final DigitPreprocessor PREPROCESSOR = new DigitPreprocessor();

  private final String modelDir;
  private final Map<String, String> hadoopConf;

  /**
   * @param modelDir the SavedModel, as {@link ModelHolder#locate} finds it on an executor
   * @param hadoopConf the driver's Hadoop settings (credentials for S3, say), as plain strings
   *     because Hadoop's Configuration is not serializable
   */
  PictureRecognizer(String modelDir, Map<String, String> hadoopConf) {
    this.modelDir = modelDir;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public Iterator<Row> call(Iterator<String> files) {
    Configuration conf = new Configuration(false);
    hadoopConf.forEach(conf::set);
    ServingModel model = ModelHolder.get(modelDir);
    return Chunks.map(files, ServingModel.BATCH, paths -> recognize(paths, model, conf));
  }

  /** The rows of {@code paths}, in their order. */
  static List<Row> recognize(List<String> paths, ServingModel model, Configuration conf) {
    int n = paths.size();
    String[] names = new String[n];
    String[] errors = new String[n];
    float[] batch = new float[n * Mnist.PIXELS];
    int good = 0;
    for (int k = 0; k < n; k++) {
      names[k] = Results.name(paths.get(k));
      try {
        float[] px = prepare(paths.get(k), names[k], conf);
        System.arraycopy(px, 0, batch, good++ * Mnist.PIXELS, Mnist.PIXELS);
      } catch (RuntimeException e) {
        errors[k] = Predictor.preprocessingError(names[k], e); // predict's wording
      }
    }
    return Results.rows(model, names, errors, batch);
  }

  /** The picture's 28x28 pixels, as predict's Predictor makes them; {@code path} is a URI. */
  private static float[] prepare(String path, String name, Configuration conf) {
    byte[] bytes = read(new Path(java.net.URI.create(path)), name, conf);
    return PREPROCESSOR.process(ImageFiles.decode(bytes, name)).pixels();
  }

  /**
   * The file's bytes, read here rather than by the binaryFile source, so that a file that vanished,
   * cannot be read or is too large is one error row instead of a failed task.
   */
  private static byte[] read(Path path, String name, Configuration conf) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      FileStatus st = fs.getFileStatus(path);
      if (!st.isFile()) {
        throw new BadInputException(name + ": not a regular file");
      }
      if (st.getLen() > MAX_BYTES) {
        throw new BadInputException(
            name + ": " + st.getLen() + " bytes is too large (at most " + MAX_BYTES + " here)");
      }
      try (InputStream in = fs.open(path)) {
        return in.readNBytes((int) st.getLen());
      }
    } catch (FileNotFoundException e) {
      // Hadoop's local file system reports an unreadable file as not found, with the reason
      String m = String.valueOf(e.getMessage());
      throw new BadInputException(
          name
              + (m.contains("Permission denied")
                  ? ": cannot read: permission denied"
                  : ": no such file"));
    } catch (AccessControlException e) {
      throw new BadInputException(name + ": cannot read: permission denied");
    } catch (IOException e) {
      throw new BadInputException(name + ": cannot read: " + org.tfmnist.util.ErrorReason.of(e));
    }
  }
}
