package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.nn.Activation;
import org.tfmnist.nn.Conv2D;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Dropout;
import org.tfmnist.nn.Flatten;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.MaxPooling2D;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.runtime.ServingModel;

/**
 * A model's life outside {@code fit}, as Keras allows it: built from its input alone, it predicts,
 * gives and takes weights and exports before any data is seen, and evaluates once compiled; a model
 * built first then fitted trains to exactly the figures of one fitted at once; fitting on other
 * data, or compiling again, keeps the weights (a new compile starts the optimizer afresh); {@code
 * save_weights} / {@code load_weights} carry a model's weights and optimizer to another.
 */
@Timeout(300)
class ModelLifecycleTest {

  private static final LabeledImages TRAIN = TestData.mnist().train().first(512);
  private static final LabeledImages OTHER = TestData.mnist().train().slice(512, 768);
  private static final LabeledImages VAL = TestData.mnist().test().first(256);

  private static Sequential net() {
    return Sequential.of(
        "small",
        Sequential.input(28, 28, 1),
        new Conv2D(4, 3, Activation.RELU),
        new MaxPooling2D(),
        new Dropout(0.25),
        new Flatten(),
        new Dense(10, Activation.SOFTMAX));
  }

  private static Model compiled(long seed) {
    return new Model(net(), seed)
        .verbose(0)
        .compile(OptimizerSpec.adam(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
  }

  @Test
  void anUncompiledModelPredictsGivesWeightsAndExportsBeforeAnyData(@TempDir Path tmp) {
    float[][] images = {VAL.imageAsFloats(0), VAL.imageAsFloats(1)};
    try (Model m = new Model(net(), 7)) {
      float[][] p = m.predict(images);
      assertEquals(2, p.length);
      double sum = 0;
      for (float v : p[0]) {
        sum += v;
      }
      assertEquals(1.0, sum, 1e-5, "softmax rows");
      WeightSnapshot w = m.weights();
      try {
        long params = w.asMap().values().stream().mapToLong(TFloat32::size).sum();
        assertEquals(40 + 6770, params, "Keras' counts: Conv2D 3*3*1*4+4, Dense 13*13*4*10+10");
      } finally {
        w.close();
      }
      Path exported = m.export(tmp.resolve("untrained"));
      try (ServingModel served = ServingModel.load(exported)) {
        float[][] q = served.predict(concat(images), 2);
        assertArrayEquals(p[0], q[0], 1e-6f);
        assertArrayEquals(p[1], q[1], 1e-6f);
      }
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.evaluate(VAL));
      assertTrue(e.getMessage().contains("compile the model before evaluate"), e.getMessage());
      m.compile(OptimizerSpec.adam(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      Metrics untrained = m.evaluate(VAL);
      assertEquals(256, untrained.count());
      assertTrue(untrained.accuracy() < 0.4, "untrained: " + untrained);
      assertArrayEquals(p[0], m.predict(images)[0], 0f, "compiling kept the weights");
    }
    try (Model again = new Model(net(), 7);
        Model other = new Model(net(), 8)) {
      float[] first = again.predict(images)[0];
      assertNotEquals(first[0], other.predict(images)[0][0], "another seed, other weights");
      try (Model same = new Model(net(), 7)) {
        assertArrayEquals(first, same.predict(images)[0], 0f, "the seed gives the weights");
      }
    }
  }

  private static float[] concat(float[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
    }
    return out;
  }

  @Test
  void buildingFirstTrainsToTheFiguresOfFittingAtOnce() {
    History direct;
    try (Model m = compiled(3)) {
      direct = m.fit(TRAIN, VAL, 2, 64);
    }
    try (Model m = compiled(3)) {
      m.build();
      m.predict(new float[][] {VAL.imageAsFloats(0)});
      History built = m.fit(TRAIN, VAL, 2, 64);
      for (int i = 0; i < 2; i++) {
        History.Epoch a = direct.epochs().get(i);
        History.Epoch b = built.epochs().get(i);
        assertEquals(a.loss(), b.loss(), 0.0, "epoch " + (i + 1) + " loss");
        assertEquals(a.valLoss(), b.valLoss(), 0.0, "epoch " + (i + 1) + " val_loss");
      }
      assertEquals(16, m.iterations());
    }
  }

  @Test
  void otherDataKeepsTheWeightsAndACompileStartsTheOptimizerAfresh() {
    try (Model m = compiled(5)) {
      m.fit(TRAIN, VAL, 1, 64);
      Metrics trained = m.evaluate(VAL);
      m.build(OTHER, VAL, 32);
      assertEquals(trained.loss(), m.evaluate(VAL).loss(), 0.0, "weights carried to new data");
      assertEquals(8, m.iterations(), "and the optimizer's step");
      m.compile(OptimizerSpec.sgd(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      assertEquals(trained.loss(), m.evaluate(VAL).loss(), 0.0, "a new compile keeps weights");
      assertEquals(0, m.iterations(), "a new optimizer starts at step 0");
      History h = m.fit(OTHER, VAL, 2, 32);
      assertEquals(2, h.epochs().size(), "one epoch before, one more now");
      assertEquals(8, m.iterations());
    }
  }

  @Test
  void saveWeightsThenLoadWeightsGivesAnotherModelTheSameWeightsAndOptimizer(@TempDir Path tmp) {
    Path file = tmp.resolve("small.weights.h5");
    float[][] images = {VAL.imageAsFloats(3)};
    float[] trained;
    double lr;
    try (Model m = compiled(5)) {
      m.fit(TRAIN, VAL, 1, 64);
      m.setLearningRate(3e-4);
      trained = m.predict(images)[0];
      m.saveWeights(file);
    }
    try (Model other = compiled(99)) {
      assertNotEquals(trained[0], other.predict(images)[0], "another seed, other weights");
      other.loadWeights(file);
      assertArrayEquals(trained, other.predict(images)[0], 0f);
      assertEquals(8, other.iterations(), "Keras' iterations");
      assertEquals(3e-4, other.learningRate(), 1e-9);
    }
    try (Model fresh = compiled(99)) {
      fresh.loadWeights(file); // before the model is built: the first use takes them
      assertArrayEquals(trained, fresh.predict(images)[0], 0f);
      fresh.fit(TRAIN, VAL, 1, 64);
      assertEquals(16, fresh.iterations(), "training continues from the file's step");
    }
    assertThrows(
        org.tfmnist.keras.KerasFileException.class,
        () -> {
          try (Model wrong =
              new Model(
                  Sequential.of(
                      "wrong",
                      Sequential.input(28, 28),
                      new Flatten(),
                      new Dense(10, Activation.SOFTMAX)))) {
            wrong.loadWeights(file);
          }
        });
  }
}
