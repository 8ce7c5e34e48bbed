package org.tfmnist.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.nn.Activation;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Flatten;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;
import org.tfmnist.train.Model;

/**
 * {@code EarlyStopping(restore_best_weights=True)} restores as Keras 3 does: at the end of training
 * whenever it has a best epoch, also when training ran all its epochs without stopping.
 */
@Timeout(120)
class EarlyStoppingRestoreTest {

  private static final LabeledImages TRAIN = TestData.mnist().train().first(500);
  private static final LabeledImages VAL = TestData.mnist().test().first(200);

  @Test
  void theBestEpochsWeightsComeBackWhenTrainingRanToTheEnd() {
    float[][] probe = {VAL.imageAsFloats(0), VAL.imageAsFloats(1)};
    List<float[]> atEpochEnd = new ArrayList<>();
    try (Model m =
        new Model(
                Sequential.of(
                    "mlp",
                    Sequential.input(28, 28),
                    new Flatten(),
                    new Dense(32, Activation.RELU),
                    new Dense(10, Activation.SOFTMAX)),
                4)
            .verbose(0)
            .compile(OptimizerSpec.adam(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY)) {
      Callback recorder =
          new Callback() {
            @Override
            public void onEpochEnd(History.Epoch logs) {
              atEpochEnd.add(model.predict(probe)[0]);
            }
          };
      // no later epoch beats the first by 1e9: the best is epoch 1, and patience 5 never stops
      EarlyStopping stopping =
          new EarlyStopping().minDelta(1e9).patience(5).restoreBestWeights(true);
      History h = m.fit(TRAIN, VAL, 3, 50, List.of(recorder, stopping));
      assertEquals(3, h.epochs().size(), "ran to the end");
      assertEquals(1, stopping.bestEpoch());
      assertFalse(
          java.util.Arrays.equals(atEpochEnd.get(0), atEpochEnd.get(2)), "training moved them");
      assertArrayEquals(atEpochEnd.get(0), m.predict(probe)[0], 0f, "epoch 1's weights are back");
    }
  }
}
