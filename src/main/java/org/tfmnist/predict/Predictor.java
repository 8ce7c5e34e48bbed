package org.tfmnist.predict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.tfmnist.data.DataException;
import org.tfmnist.export.ServingModel;
import org.tfmnist.image.DigitPng;
import org.tfmnist.image.DigitPreprocessor;
import org.tfmnist.image.ImageFiles;
import org.tfmnist.image.Inputs;

/**
 * Recognises the digits of many inputs: every picture is decoded and preprocessed (in parallel, on
 * all cores), then all the good ones go through the model in batches of {@link ServingModel#BATCH},
 * a few session runs in all. A bad input gets its own error and never stops the others.
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

  /** One prediction per input, in the inputs' order. */
  public List<Prediction> predict(List<Inputs.Input> inputs) throws IOException {
    int n = inputs.size();
    float[][] pixels = new float[n][];
    String[] errors = new String[n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              try {
                pixels[i] = prepare(inputs.get(i));
              } catch (DataException e) {
                errors[i] = e.getMessage();
              } catch (DigitPreprocessor.NoDigitException e) {
                errors[i] = inputs.get(i).name() + ": " + e.getMessage();
              } catch (RuntimeException e) {
                errors[i] = inputs.get(i).name() + ": cannot preprocess (" + e + ")";
              }
            });
    if (savePreprocessed != null) {
      Files.createDirectories(savePreprocessed);
      for (int i = 0; i < n; i++) {
        if (pixels[i] != null) {
          writePng(savePreprocessed.resolve(fileName(inputs.get(i).name(), i)), pixels[i]);
        }
      }
    }
    List<Integer> good = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (pixels[i] != null) {
        good.add(i);
      }
    }
    float[] batch = new float[good.size() * 784];
    for (int k = 0; k < good.size(); k++) {
      System.arraycopy(pixels[good.get(k)], 0, batch, k * 784, 784);
    }
    float[][] probs = good.isEmpty() ? new float[0][] : model.predict(batch, good.size());
    Prediction[] out = new Prediction[n];
    for (int k = 0; k < good.size(); k++) {
      int i = good.get(k);
      int label = inputs.get(i) instanceof Inputs.DatasetImage d ? d.label() : -1;
      out[i] = Prediction.of(inputs.get(i).name(), probs[k], label);
    }
    for (int i = 0; i < n; i++) {
      if (out[i] == null) {
        out[i] = Prediction.failed(inputs.get(i).name(), errors[i]);
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
    throw new DataException(((Inputs.Broken) in).error());
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
    Files.write(file, DigitPng.encode(pixels));
  }
}
