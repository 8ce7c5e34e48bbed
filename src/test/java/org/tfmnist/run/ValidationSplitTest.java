package org.tfmnist.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.Datasets;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.train.Recipe;

/**
 * Keras' {@code validation_split=f}: the last N - floor(N (1 - f)) training examples, taken before
 * shuffling, validate; the first floor(N (1 - f)) train. The floor is of the double product, as
 * Keras computes it ({@code int(math.floor(n * (1.0 - f)))}).
 */
class ValidationSplitTest {

  @TempDir Path tmp;

  private static final Pattern COUNTS =
      Pattern.compile(
          ": (\\d+) training images, (\\d+) validation \\(last (\\d+)% of the training set\\), "
              + "(\\d+) test;");

  /** Runs {@code preset} on {@code data} with {@code trainLimit} images; returns what it says. */
  private String run(Preset preset, Datasets.Splits data, int trainLimit, int testLimit) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    TrainingOptions o =
        TrainingOptions.builder(tmp.resolve("models"), preset.name())
            .seed(1L)
            .limits(trainLimit, testLimit)
            .export(false)
            .build();
    new TrainingJob(preset, data, o, out).run();
    String said = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(
        preset.recipe().epochs(),
        said.lines().filter(l -> l.matches("Epoch \\d+/\\d+")).count(),
        said);
    return said;
  }

  private static Preset withRecipe(Preset p, Recipe r) {
    return p.withRecipe(r);
  }

  /** Asserts the counts the run reports: training, validation, the percentage, test. */
  private void assertSplit(double split, int n, int train, int val) {
    Preset small = Presets.mlpSmall();
    Preset p = withRecipe(small, small.recipe().validationSplit(split).withEpochs(0));
    String said = run(p, TestData.mnist(), n, 100);
    Matcher m = COUNTS.matcher(said);
    assertTrue(m.find(), said);
    assertEquals(train, Integer.parseInt(m.group(1)), said);
    assertEquals(val, Integer.parseInt(m.group(2)), said);
    assertEquals(Math.round(split * 100), Long.parseLong(m.group(3)), said);
    assertEquals(100, Integer.parseInt(m.group(4)), said);
    assertEquals(n, train + val);
  }

  @Test
  void theSplitCountsAreKeras() {
    // mlp-small's own split: 0.2 of 1,001 -> floor(800.8) = 800 train, the last 201 validate
    assertEquals(0.2, Presets.mlpSmall().recipe().validationSplit());
    assertSplit(0.2, 1001, 800, 201);
    // 0.1 of 1,001 -> floor(900.9) = 900 train, 101 validate (not 901 / 100)
    assertSplit(0.1, 1001, 900, 101);
    // 0.25 of 1,000 -> exactly 750 / 250
    assertSplit(0.25, 1000, 750, 250);
    // 100 * (1 - 0.9) is 9.999999999999998 in doubles: Keras trains on 9 and validates on 91
    assertEquals(9.999999999999998, 100 * (1 - 0.9));
    assertSplit(0.9, 100, 9, 91);
  }

  @Test
  void theValidationImagesAreTheLastOnes() {
    // 900 MNIST images followed by 101 blank ones labelled 0: with validation_split 0.1 the
    // validation set is exactly the blank ones, which a model scores all alike (accuracy 0 or
    // 1); the first 101 MNIST images would give a figure in between
    LabeledImages mnist = TestData.mnist().train().first(900);
    byte[] pixels = new byte[1001 * 784];
    System.arraycopy(mnist.pixels(), 0, pixels, 0, mnist.pixels().length);
    byte[] labels = new byte[1001];
    System.arraycopy(mnist.labels(), 0, labels, 0, 900);
    LabeledImages train = new LabeledImages(pixels, labels, 1001, 28, 28);
    Datasets.Splits data =
        new Datasets.Splits(TestData.mnist().spec(), train, TestData.mnist().test());
    Preset small = Presets.mlpSmall();
    Preset p = withRecipe(small, small.recipe().validationSplit(0.1).withEpochs(1));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TrainingOptions o =
        TrainingOptions.builder(tmp.resolve("models"), p.name())
            .seed(1L)
            .limits(0, 100)
            .export(false)
            .build();
    new TrainingJob(p, data, o, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String said = bytes.toString(StandardCharsets.UTF_8);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("val_accuracy: ([0-9.]+)").matcher(said);
    double valAccuracy = Double.NaN;
    while (m.find()) {
      valAccuracy = Double.parseDouble(m.group(1));
    }
    assertTrue(said.contains(": 900 training images, 101 validation"), said);
    assertTrue(
        valAccuracy == 0.0 || valAccuracy == 1.0,
        "validation accuracy " + valAccuracy + "\n" + said);
  }
}
