package org.tfmnist.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tfmnist.data.BadInputException;
import org.tfmnist.export.ExportException;
import org.tfmnist.export.ModelDirs;
import org.tfmnist.image.Inputs;
import org.tfmnist.predict.Prediction;
import org.tfmnist.predict.PredictionWriter;
import org.tfmnist.predict.Predictor;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.util.ErrorReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tf-mnist predict}: recognise the digits in image files. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Recognise handwritten digits in image files (PNG, JPEG, BMP, GIF; directories are "
          + "walked) or in data-set files (IDX, Keras npz; pick images with --index). Photos "
          + "and scans of dark ink on light paper are preprocessed the way MNIST was made: "
          + "grey-scale, ink separated from the paper, cropped, scaled to 20 px, centred by "
          + "mass in 28x28, white on black.",
      "Exit code 0 when every input was predicted, 1 when some failed (each failure is "
          + "reported with its file; the others are still predicted)."
    })
final class PredictCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Images or directories.")
  List<Path> paths;

  @Option(
      names = {"-m", "--model"},
      paramLabel = "DIR",
      description =
          "SavedModel (a version directory or a model directory); default: the "
              + "exported model with the best test accuracy under --models-dir.")
  Path model;

  @Option(
      names = "--models-dir",
      defaultValue = "models",
      paramLabel = "DIR",
      description = "Where to look for the default model (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(
      names = "--index",
      paramLabel = "LIST",
      description = "Images of IDX / npz files to predict, e.g. 0-9,42 (default: all).")
  String index;

  @Option(
      names = "--format",
      defaultValue = "table",
      paramLabel = "table|json|csv",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--save-preprocessed",
      paramLabel = "DIR",
      description = "Write the 28x28 images the model saw as PNG files into DIR.")
  Path savePreprocessed;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PredictionWriter.Format f =
        PredictionWriter.Format.parse(
            Usage.oneOf(spec, "--format", format, List.of("table", "json", "csv")));
    int[] indices;
    try {
      indices = index == null ? null : Inputs.parseIndices(index);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "bad --index '" + index + "': " + e.getMessage() + " (use e.g. 0-9,42)");
    }
    Path m =
        model != null
            ? model
            : ModelDirs.best(modelsDir)
                .orElseThrow(
                    () ->
                        new ExportException(
                            modelsDir
                                + ": no exported model found; train one (make "
                                + "train-cnn) or pass --model DIR"));
    if (savePreprocessed != null) {
      OutputPaths.directory(savePreprocessed);
    }
    List<Inputs.Input> inputs = Inputs.expand(paths, indices);
    long t0 = System.nanoTime();
    List<Prediction> ps;
    try (ServingModel sm = ServingModel.load(m)) {
      ps = new Predictor(sm, savePreprocessed).predict(inputs);
    } catch (IOException e) {
      throw BadInputException.of(savePreprocessed, "cannot write: " + ErrorReason.of(e));
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    PredictionWriter.write(ps, f, System.out);
    long failed = ps.stream().filter(p -> !p.ok()).count();
    if (f == PredictionWriter.Format.TABLE) {
      System.err.printf(
          Locale.ROOT,
          "%d predicted, %d failed, with %s in %.2f s%n",
          ps.size() - failed,
          failed,
          ModelDirs.resolveVersion(m),
          secs);
    }
    for (Prediction p : ps) {
      if (!p.ok() && f != PredictionWriter.Format.TABLE) {
        System.err.println("tf-mnist: error: " + p.error());
      }
    }
    return failed == 0 ? 0 : 1;
  }
}
