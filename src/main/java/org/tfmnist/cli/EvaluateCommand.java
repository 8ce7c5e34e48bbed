package org.tfmnist.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tfmnist.data.BadInputException;
import org.tfmnist.data.DatasetSpec;
import org.tfmnist.data.Idx;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.data.Mnist;
import org.tfmnist.eval.Evaluation;
import org.tfmnist.eval.Npy;
import org.tfmnist.export.ModelDirs;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.util.ErrorReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tf-mnist evaluate}: test-set figures of a SavedModel. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Evaluate a SavedModel (ours, or a Keras export) on the test set: loss, "
            + "accuracy, per-class accuracy and the confusion matrix.")
final class EvaluateCommand implements Callable<Integer> {

  @Option(
      names = {"-m", "--model"},
      required = true,
      paramLabel = "DIR",
      description = "A SavedModel directory, or a model directory (its highest version).")
  Path model;

  @Option(
      names = "--images",
      paramLabel = "IDX",
      description =
          "Evaluate on this IDX images file (raw or .gz) instead of the data set's "
              + "test split; needs --labels.")
  Path images;

  @Option(names = "--labels", paramLabel = "IDX", description = "The labels for --images.")
  Path labels;

  @Option(
      names = {"--test-limit", "--limit"},
      paramLabel = "N",
      defaultValue = "0",
      description = "Only the first N test images (0: all); train's name for it, --limit kept.")
  int limit;

  @Option(
      names = "--save-probabilities",
      paramLabel = "FILE.npy",
      description = "Also write the probabilities (float32 [images, 10]) as a NumPy .npy file.")
  Path saveProbabilities;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "text|json",
      description = "Report format (default: ${DEFAULT-VALUE}).")
  String format;

  @Mixin DataOptions data;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    format = Usage.oneOf(spec, "--format", format, java.util.List.of("text", "json"));
    Usage.check(spec, limit >= 0, "--test-limit", limit, "0 (all) or more");
    data.validate(spec);
    if ((images == null) != (labels == null)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--images and --labels go together");
    }
    if (saveProbabilities != null) {
      OutputPaths.file(saveProbabilities);
    }
    data.defaultTo(trainedOn(model));
    LabeledImages all = images != null ? Idx.load(images, labels) : data.load().test();
    if (all.rows() != Mnist.SIDE || all.cols() != Mnist.SIDE) {
      throw new org.tfmnist.data.BadInputException(
          images + ": images are " + all.rows() + "x" + all.cols() + ", the models take 28x28");
    }
    LabeledImages test = all.limit(limit);
    if (test.count() == 0) {
      throw new org.tfmnist.data.BadInputException(
          (images != null ? images.toString() : data.spec().id() + " test set")
              + ": holds no images; nothing to evaluate");
    }
    try (ServingModel m = ServingModel.load(model)) {
      float[][] probabilities = m.predict(test);
      Evaluation e = Evaluation.of(probabilities, test);
      if (saveProbabilities != null) {
        try {
          Npy.write(saveProbabilities, probabilities);
        } catch (IOException x) {
          throw BadInputException.of(saveProbabilities, "cannot write: " + ErrorReason.of(x));
        }
      }
      if (format.equals("json")) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", m.dir().toString());
        j.put("loss", e.loss());
        j.put("accuracy", e.accuracy());
        j.put("correct", e.correct());
        j.put("count", e.count());
        j.put("per_class_accuracy", e.perClassAccuracy());
        j.put("confusion", e.confusion());
        System.out.println(JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(j));
      } else {
        System.out.print(
            e.report(
                m.dir()
                    + " (signature "
                    + m.signatureKey()
                    + ": "
                    + m.inputKey()
                    + " -> "
                    + m.outputKey()
                    + ") on "
                    + test.count()
                    + " "
                    + (images != null ? images.toString() : data.spec().id() + " test")
                    + " images"));
      }
    }
    return 0;
  }

  /** The data set recorded in an export's assets.extra/training.json, if any. */
  static DatasetSpec trainedOn(Path model) {
    try {
      Path meta = ModelDirs.resolveVersion(model).resolve("assets.extra/training.json");
      if (Files.isRegularFile(meta)) {
        Object d = JSON.std.mapFrom(Files.readString(meta)).get("dataset");
        return d == null ? null : DatasetSpec.parse(d.toString());
      }
    } catch (IOException | RuntimeException e) {
      // no usable metadata: the default applies
    }
    return null;
  }
}
