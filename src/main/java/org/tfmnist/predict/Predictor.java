package org.tfmnist.predict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.tfmnist.data.BadInputException;
import org.tfmnist.data.Mnist;
import org.tfmnist.image.DigitPng;
import org.tfmnist.image.DigitPreprocessor;
import org.tfmnist.image.ImageFiles;
import org.tfmnist.image.Inputs;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.util.Png;

/**
 * Recognises the digits of many inputs, {@link #CHUNK} at a time: the pictures of a chunk are
 * decoded and preprocessed (in parallel, on all cores), then its good ones go through the model in
 * batches of {@link ServingModel#BATCH}, a few session runs a chunk. A bad input gets its own error
 * and never stops the others.
 */
public final class Predictor {

  private final ServingModel model;
  private final DigitPreprocessor preprocessor = new DigitPreprocessor();
  private final Path savePreprocessed;

  /**
   * @param savePreprocessed where to write the 28x28 images the model sees, or null
   */
  public Predictor(ServingModel model, Path savePreprocessed) {
    this.model = model;
    this.savePreprocessed = savePreprocessed;
  }

  /**
   * Inputs prepared and predicted at a time: the floats of a chunk are all that is held, so a data
   * file of 100,000s of images costs its bytes and not four times as much again as float arrays.
   */
  static final int CHUNK = 1024;

  /** One prediction per input, in the inputs' order. */
  public List<Prediction> predict(List<Inputs.Input> inputs) throws IOException {
    if (savePreprocessed != null) {
      Files.createDirectories(savePreprocessed);
    }
    List<Prediction> out = new ArrayList<>(inputs.size());
    for (int from = 0; from < inputs.size(); from += CHUNK) {
      out.addAll(predictChunk(inputs, from, Math.min(inputs.size(), from + CHUNK)));
    }
    return List.copyOf(out);
  }

  /** Inputs {@code [from, to)}: decoded and preprocessed in parallel, then one batched run. */
  private List<Prediction> predictChunk(List<Inputs.Input> inputs, int from, int to)
      throws IOException {
    int n = to - from;
    float[][] pixels = new float[n][];
    String[] errors = new String[n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            k -> {
              Inputs.Input in = inputs.get(from + k);
              try {
                pixels[k] = prepare(in);
              } catch (RuntimeException e) {
                errors[k] = preprocessingError(in.name(), e);
              }
            });
    if (savePreprocessed != null) {
      for (int k = 0; k < n; k++) {
        if (pixels[k] != null) {
          writePng(
              savePreprocessed.resolve(fileName(inputs.get(from + k).name(), from + k)), pixels[k]);
        }
      }
    }
    List<Integer> good = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      if (pixels[k] != null) {
        good.add(k);
      }
    }
    float[] batch = new float[good.size() * Mnist.PIXELS];
    for (int g = 0; g < good.size(); g++) {
      System.arraycopy(pixels[good.get(g)], 0, batch, g * Mnist.PIXELS, Mnist.PIXELS);
      pixels[good.get(g)] = null; // the batch holds them now
    }
    float[][] probs = good.isEmpty() ? new float[0][] : model.predict(batch, good.size());
    Prediction[] out = new Prediction[n];
    for (int g = 0; g < good.size(); g++) {
      Inputs.Input in = inputs.get(from + good.get(g));
      int label = in instanceof Inputs.DatasetImage d ? d.label() : -1;
      out[good.get(g)] = Prediction.of(in.name(), probs[g], label);
    }
    for (int k = 0; k < n; k++) {
      if (out[k] == null) {
        out[k] = Prediction.failed(inputs.get(from + k).name(), errors[k]);
      }
    }
    return List.of(out);
  }

  private float[] prepare(Inputs.Input in) {
    if (in instanceof Inputs.ImageFile f) {
      return preprocessor.process(ImageFiles.read(f.path())).pixels();
    }
    if (in instanceof Inputs.DatasetImage d) {
      return d.pixels();
    }
    throw new BadInputException(((Inputs.Broken) in).error());
  }

  /**
   * The one-line error of a picture that could not be made into a digit: a bad file names itself, a
   * picture without a digit is named here, and anything else the preprocessing chokes on is "cannot
   * preprocess". Batch recognizers outside this class (the Spark job) word their rows the same way.
   */
  public static String preprocessingError(String name, RuntimeException e) {
    if (e instanceof BadInputException) {
      return e.getMessage();
    }
    if (e instanceof DigitPreprocessor.NoDigitException) {
      return name + ": " + e.getMessage();
    }
    return name + ": cannot preprocess (" + e + ")";
  }

  /** "photos/7.jpg" becomes "0003-photos_7.png": unique and flat. */
  static String fileName(String name, int index) {
    String flat = name.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+", "");
    int dot = flat.lastIndexOf('.');
    if (dot > 0 && flat.length() - dot <= 5) {
      flat = flat.substring(0, dot);
    }
    return String.format("%04d-%s.png", index, flat);
  }

  /** A 28x28 grey PNG of the pixels, white on black (what the model sees). */
  public static void writePng(Path file, float[] pixels) throws IOException {
    Png.write(DigitPng.image(pixels), file);
  }
}
