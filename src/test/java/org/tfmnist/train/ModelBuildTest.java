package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.BadInputException;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.image.DigitPng;
import org.tfmnist.image.DigitPreprocessor;
import org.tfmnist.nn.Activation;
import org.tfmnist.nn.Conv2D;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Flatten;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.MaxPooling2D;
import org.tfmnist.nn.Padding;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.train.callbacks.CSVLogger;
import org.tfmnist.train.callbacks.EarlyStopping;
import org.tfmnist.train.callbacks.LearningRateScheduler;
import org.tfmnist.train.callbacks.ProgbarLogger;
import org.tfmnist.train.callbacks.ReduceLROnPlateau;

/**
 * {@code fit} prints Keras' progress by default ({@code verbose=1}), nothing with {@code
 * verbose(0)}, and only the caller's bar when it passes a {@link ProgbarLogger}; a network whose
 * input does not fit the data is refused when the model is built, naming both shapes; a built model
 * predicts before any fit; the callbacks' short forms print nothing (Keras' {@code verbose=0}) and
 * {@code CSVLogger(file)} starts the file afresh; a picture that cannot be read, or shows no digit,
 * is refused with the preprocessing's own exceptions.
 */
@Timeout(300)
class ModelBuildTest {

  private static final LabeledImages TRAIN = TestData.mnist().train().first(256);
  private static final LabeledImages VAL = TestData.mnist().test().first(128);

  private static Model small(Consumer<Model> setUp) {
    Model m =
        new Model(
            Sequential.of(
                "small",
                Sequential.input(28, 28, 1),
                new Conv2D(4, 3, Activation.RELU).padding(Padding.SAME),
                new MaxPooling2D(),
                new Flatten(),
                new Dense(10, Activation.SOFTMAX)));
    m.compile(OptimizerSpec.adam(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
    setUp.accept(m);
    return m;
  }

  /** What {@code run} printed to standard output. */
  private static String stdout(Runnable run) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setOut(saved);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void fitPrintsKerasProgressByDefault() {
    try (Model m = small(x -> {})) {
      assertEquals(1, m.verbose(), "Keras' verbose=1");
      String out = stdout(() -> m.fit(TRAIN, VAL, 1, 64));
      assertTrue(out.startsWith("Epoch 1/1\n"), out);
      assertTrue(out.contains("4/4") && out.contains(" - val_accuracy: "), out);
    }
  }

  @Test
  void verboseTwoPrintsOneLinePerEpoch() {
    try (Model m = small(x -> x.verbose(2))) {
      String out = stdout(() -> m.fit(TRAIN, VAL, 2, 64));
      assertEquals(4, out.lines().count(), out);
      assertTrue(out.startsWith("Epoch 1/2\n") && out.contains("\nEpoch 2/2\n"), out);
      assertTrue(!out.contains("\r"), "no live bar");
    }
  }

  @Test
  void verboseZeroPrintsNothing() {
    try (Model m = small(x -> x.verbose(0))) {
      String out = stdout(() -> m.fit(TRAIN, VAL, 1, 64));
      assertEquals("", out);
    }
  }

  @Test
  void theCallersProgbarLoggerReplacesTheDefaultOne() {
    ByteArrayOutputStream own = new ByteArrayOutputStream();
    try (Model m = small(x -> {})) {
      String out =
          stdout(
              () ->
                  m.fit(
                      TRAIN,
                      VAL,
                      1,
                      64,
                      List.of(new ProgbarLogger(new PrintStream(own, true), false))));
      assertEquals("", out, "no second bar on standard output");
    }
    assertTrue(own.toString().startsWith("Epoch 1/1\n"), own.toString());
  }

  @Test
  void theCallbacksShortFormsAreQuietAndTheCsvStartsAfresh(@TempDir Path tmp) throws Exception {
    Path csv = tmp.resolve("log.csv");
    Files.writeString(csv, "an older run's row\n");
    try (Model m = small(x -> x.verbose(0))) {
      String out =
          stdout(
              () ->
                  m.fit(
                      TRAIN,
                      VAL,
                      3,
                      64,
                      List.of(
                          new CSVLogger(csv),
                          new LearningRateScheduler((epoch, lr) -> lr * 0.5),
                          new EarlyStopping().minDelta(100),
                          new ReduceLROnPlateau().patience(0).minDelta(100))));
      assertEquals("", out, "Keras' callbacks default to verbose=0");
      assertTrue(m.history().epochs().size() == 2, "EarlyStopping() stopped after epoch 2");
    }
    List<String> rows = Files.readAllLines(csv);
    assertEquals("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", rows.get(0));
    assertEquals(3, rows.size(), "append=False: " + rows);
  }

  @Test
  void verboseOutsideZeroToTwoIsRefused() {
    try (Model m = small(x -> {})) {
      assertThrows(IllegalArgumentException.class, () -> m.verbose(3));
      assertThrows(IllegalArgumentException.class, () -> m.verbose(-1));
    }
  }

  @Test
  void anInputShapeThatDoesNotFitTheDataIsRefusedWhenBuilt() {
    Sequential wrong =
        Sequential.of(
            "wrong", Sequential.input(32, 32, 1), new Flatten(), new Dense(10, Activation.SOFTMAX));
    try (Model m = new Model(wrong).verbose(0)) {
      m.compile(OptimizerSpec.adam(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.build(TRAIN, VAL, 32));
      assertTrue(
          e.getMessage().contains("(32, 32, 1)")
              && e.getMessage().contains("28x28")
              && e.getMessage().contains("Input((28, 28, 1))"),
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> m.evaluate(VAL));
      assertTrue(e.getMessage().contains("evaluation images, which are 28x28"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> m.predict(VAL));
      assertTrue(e.getMessage().contains("(32, 32, 1)"), e.getMessage());
    }
  }

  @Test
  void aBuiltModelPredictsBeforeFit() {
    try (Model m = small(x -> {})) {
      float[][] before = m.predict(new float[][] {VAL.imageAsFloats(0), VAL.imageAsFloats(1)});
      m.build(TRAIN, VAL, 32);
      float[][] p = m.predict(new float[][] {VAL.imageAsFloats(0), VAL.imageAsFloats(1)});
      assertArrayEquals(before[1], p[1], 0f, "building for data keeps the weights");
      assertEquals(2, p.length);
      for (float[] row : p) {
        double sum = 0;
        for (float v : row) {
          sum += v;
        }
        assertEquals(10, row.length);
        assertEquals(1, sum, 1e-5);
      }
      assertEquals(VAL.count(), m.evaluate(VAL).count());
    }
  }

  @Test
  void aPictureThatCannotBeReadOrHasNoDigitIsRefusedByName(@TempDir Path tmp) throws Exception {
    try (Model m = small(x -> {})) {
      m.build(TRAIN, VAL, 32);
      Path missing = tmp.resolve("missing.png");
      BadInputException e = assertThrows(BadInputException.class, () -> m.predict(missing));
      assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
      Path blank = tmp.resolve("blank.png");
      Files.write(blank, DigitPng.encode(new float[784]));
      assertThrows(DigitPreprocessor.NoDigitException.class, () -> m.predict(blank));
    }
  }
}
