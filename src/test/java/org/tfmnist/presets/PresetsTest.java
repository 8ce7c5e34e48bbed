package org.tfmnist.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tfmnist.nn.Loss;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.optim.OptimizerSpec.Kind;
import org.tfmnist.train.Recipe;

/**
 * Each preset's compile() and fit() arguments, written out as the script it ports has them (with
 * Keras' defaults spelled out where the script leaves them implicit), so that a changed learning
 * rate, batch size, epoch count, loss or split fails here.
 */
class PresetsTest {

  /** OptimizerSpec's fields: kind, lr, rho, momentum, nesterov, beta_1, beta_2, epsilon. */
  private static OptimizerSpec spec(
      Kind kind,
      double lr,
      double rho,
      double momentum,
      boolean nesterov,
      double beta1,
      double beta2,
      double epsilon) {
    return new OptimizerSpec(kind, lr, rho, momentum, nesterov, beta1, beta2, epsilon, null);
  }

  private static void assertRecipe(
      String name,
      OptimizerSpec optimizer,
      String printed,
      Loss loss,
      int epochs,
      int batchSize,
      double validationSplit) {
    Preset p = Presets.get(name);
    assertEquals(name, p.name());
    Recipe r = p.recipe();
    assertEquals(optimizer, r.optimizer(), name);
    assertEquals(printed, r.optimizer().toString(), name);
    assertEquals(loss, r.loss(), name);
    assertEquals(epochs, r.epochs(), name);
    assertEquals(batchSize, r.batchSize(), name);
    assertEquals(validationSplit, r.validationSplit(), name);
    // the one-line description (--help, README) says the same number of epochs
    assertTrue(p.description().contains(epochs + " epochs"), p.description());
  }

  @Test
  void thePresetsAreTheTutorialsThenCnnBest() {
    assertEquals(
        List.of("mlp", "mlp-dropout", "mlp-small", "nielsen", "cnn", "cnn-best"),
        List.copyOf(Presets.all().keySet()));
  }

  @Test
  void mlpIsTheKerasMlpTutorial() {
    // compile(optimizer='rmsprop', loss='categorical_crossentropy'); fit(epochs=5,
    // batch_size=128). Keras' RMSprop(): lr 0.001, rho 0.9, momentum 0, epsilon 1e-7
    assertRecipe(
        "mlp",
        spec(Kind.RMSPROP, 0.001, 0.9, 0, false, 0, 0, 1e-7),
        "RMSprop(learning_rate=0.001, rho=0.9, momentum=0, epsilon=1e-07)",
        Loss.CATEGORICAL_CROSSENTROPY,
        5,
        128,
        0);
  }

  @Test
  void mlpDropoutIsTheKerasDropoutMlpTutorial() {
    // compile(loss='categorical_crossentropy', optimizer='adam'); fit(batch_size=128, epochs=4,
    // validation_data=(X_test, Y_test)). Keras' Adam(): lr 0.001, betas 0.9 / 0.999, eps 1e-7
    assertRecipe(
        "mlp-dropout",
        spec(Kind.ADAM, 0.001, 0, 0, false, 0.9, 0.999, 1e-7),
        "Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07)",
        Loss.CATEGORICAL_CROSSENTROPY,
        4,
        128,
        0);
  }

  @Test
  void mlpSmallIsTheKerasBeginnersTutorial() {
    // compile(Adam(lr=0.001), CategoricalCrossentropy()); fit(epochs=10, validation_split=0.2)
    // with fit's default batch_size 32
    assertRecipe(
        "mlp-small",
        spec(Kind.ADAM, 0.001, 0, 0, false, 0.9, 0.999, 1e-7),
        "Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07)",
        Loss.CATEGORICAL_CROSSENTROPY,
        10,
        32,
        0.2);
  }

  @Test
  void nielsenIsNielsensNetworkWithItsPerEpochPrint() {
    // net.SGD(training_data, 30, 10, 0.1): 30 epochs, mini-batches of 10, eta 0.1, plain
    // gradient descent on the quadratic cost; prints "Epoch n: acc %" after each epoch
    assertRecipe(
        "nielsen",
        spec(Kind.SGD, 0.1, 0, 0, false, 0, 0, 0),
        "SGD(learning_rate=0.1, momentum=0, nesterov=false)",
        Loss.QUADRATIC,
        30,
        10,
        0);
    java.io.PrintStream out = new java.io.PrintStream(new java.io.ByteArrayOutputStream());
    assertTrue(
        Presets.get("nielsen").callbacks().apply(out).stream()
            .anyMatch(c -> c instanceof org.tfmnist.train.callbacks.NielsenLogger));
    assertEquals(List.of(), Presets.get("mlp").callbacks().apply(out));
  }

  @Test
  void cnnIsTheKerasCnnExample() {
    // compile(loss=categorical_crossentropy, optimizer=Adadelta()) with Keras 2's defaults
    // lr 1.0, rho 0.95, epsilon 1e-7; fit(batch_size=128, epochs=12, validation_data=test)
    assertRecipe(
        "cnn",
        spec(Kind.ADADELTA, 1.0, 0.95, 0, false, 0, 0, 1e-7),
        "Adadelta(learning_rate=1, rho=0.95, epsilon=1e-07)",
        Loss.CATEGORICAL_CROSSENTROPY,
        12,
        128,
        0);
  }

  @Test
  void cnnBestIsAdamOnACosineDecay() {
    // 15 epochs of 469 steps: the rate decays from 0.002 to 0.002 * 0.01 over the run
    OptimizerSpec adam =
        OptimizerSpec.adam()
            .withSchedule(new org.tfmnist.optim.LearningRate.CosineDecay(0.002, 15 * 469, 0.01));
    assertRecipe("cnn-best", adam, adam.toString(), Loss.CATEGORICAL_CROSSENTROPY, 15, 128, 0);
    assertEquals(0.002, adam.learningRateAt(0), 1e-12);
    assertEquals(0.001 + 0.00001, adam.learningRateAt(15 * 469 / 2), 1e-6);
    assertEquals(0.00002, adam.learningRateAt(15 * 469), 1e-12);
    assertEquals(0.00002, adam.learningRateAt(10 * 15 * 469), 1e-12);
  }
}
