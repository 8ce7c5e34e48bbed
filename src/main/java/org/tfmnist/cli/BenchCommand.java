package org.tfmnist.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tfmnist.bench.Bench;
import org.tfmnist.bench.BenchReport;
import org.tfmnist.data.Datasets;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.util.AtomicFile;
import org.tfmnist.util.CpuInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tf-mnist bench}: time training and inference, or print the side-by-side table. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Time a preset on full MNIST (seconds per epoch, images/s, batch inference, peak RSS) "
          + "and write the figures as JSON; or, with --report, print the report of such files: "
          + "the CPU, each side's median epoch with its spread, and the ratios Java/Keras of "
          + "interleaved runs. `make bench` runs both sides, interleaved.",
    })
final class BenchCommand implements Callable<Integer> {

  @Option(
      names = {"-p", "--preset"},
      defaultValue = "mlp",
      paramLabel = "NAME",
      completionCandidates = Usage.PresetNames.class,
      description = "Preset to time: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--epochs",
      defaultValue = "3",
      paramLabel = "N",
      description = "Epochs to time (default: ${DEFAULT-VALUE}; the first counts as warm-up).")
  int epochs;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed.")
  long seed;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write the figures here (with --report: the report).")
  Path json;

  @Option(
      names = "--train-limit",
      paramLabel = "N",
      defaultValue = "0",
      description = "Train on the first N training images only (0: all; a quick check).")
  int trainLimit;

  @Option(
      names = "--test-limit",
      paramLabel = "N",
      defaultValue = "0",
      description = "Validate and time inference on the first N test images only (0: all).")
  int testLimit;

  @Option(
      names = "--profile",
      paramLabel = "STEPS",
      defaultValue = "0",
      description =
          "After timing, trace this many training steps and print where a step's "
              + "time goes, by op type.")
  int profile;

  @Option(
      names = "--floor",
      description =
          "Before training, time each convolution, gradient and matrix product of the "
              + "preset's training step alone at its shapes (fp32 and bf16) and print the table; "
              + "report the epoch as a multiple of that kernel floor.")
  boolean floor;

  @Option(names = "--report", description = "Print the table of the result FILES instead.")
  boolean report;

  @Parameters(
      paramLabel = "FILES",
      arity = "0..*",
      description = "With --report: result files of tf-mnist bench / bench_keras.py.")
  List<Path> files;

  @Mixin DataOptions data;

  @Mixin RuntimeOptions runtime;

  @Mixin PrecisionOption precision;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Usage.oneOf(spec, "--preset", preset, Usage.PresetNames.all());
    Usage.check(spec, epochs >= 1 && epochs <= 1000, "--epochs", epochs, "1 to 1000");
    Usage.check(spec, profile >= 0, "--profile", profile, "0 or more");
    Usage.check(spec, trainLimit >= 0, "--train-limit", trainLimit, "0 (all) or more");
    Usage.check(spec, testLimit >= 0, "--test-limit", testLimit, "0 (all) or more");
    runtime.validate(spec);
    precision.validate(spec);
    precision.warnIfSlow(CpuInfo::read, System.err);
    data.validate(spec);
    if (report) {
      if (files == null || files.isEmpty()) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--report needs result files (bench --json FILE writes them)");
      }
      if (json != null) {
        OutputPaths.fileInNewDirectories(json);
      }
      BenchReport r = BenchReport.read(files);
      System.out.print(r.text());
      if (json != null) {
        AtomicFile.writeString(
            json, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(r.json()) + "\n");
      }
      return 0;
    }
    if (json != null) {
      OutputPaths.fileInNewDirectories(json); // before the minutes of timing, not after
    }
    Preset p = Presets.get(preset);
    Datasets.Splits all = data.load();
    Datasets.Splits slice =
        new Datasets.Splits(all.spec(), all.train().limit(trainLimit), all.test().limit(testLimit));
    Map<String, Object> r =
        Bench.run(
            p.withRecipe(precision.applyTo(p.recipe())),
            epochs,
            seed,
            slice,
            runtime.config(),
            profile,
            floor,
            System.out);
    String text = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(r);
    if (json != null) {
      AtomicFile.writeString(json, text + "\n");
    }
    System.out.println(text);
    return 0;
  }
}
