package org.tfmnist.presets;

import static org.tfmnist.nn.Activation.LINEAR;
import static org.tfmnist.nn.Activation.RELU;
import static org.tfmnist.nn.Activation.SIGMOID;
import static org.tfmnist.nn.Activation.SOFTMAX;
import static org.tfmnist.nn.Loss.CATEGORICAL_CROSSENTROPY;
import static org.tfmnist.nn.Loss.QUADRATIC;
import static org.tfmnist.nn.Sequential.input;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tfmnist.nn.ActivationLayer;
import org.tfmnist.nn.BatchNormalization;
import org.tfmnist.nn.Conv2D;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Dropout;
import org.tfmnist.nn.FillMode;
import org.tfmnist.nn.Flatten;
import org.tfmnist.nn.Initializer;
import org.tfmnist.nn.Initializers;
import org.tfmnist.nn.MaxPooling2D;
import org.tfmnist.nn.Padding;
import org.tfmnist.nn.RandomRotation;
import org.tfmnist.nn.RandomTranslation;
import org.tfmnist.nn.RandomZoom;
import org.tfmnist.nn.Reshape;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.LearningRate;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.train.Recipe;
import org.tfmnist.train.callbacks.NielsenLogger;

/**
 * The classic MNIST tutorials, each declared as the Keras (or numpy) code it ports. Every model
 * takes 28x28 images scaled to [0,1] (the tutorials' {@code x / 255}); the MLPs flatten them first,
 * as the tutorials' {@code reshape(60000, 784)} does.
 */
public final class Presets {

  private Presets() {}

  /**
   * The Keras MLP tutorial: {@code Dense(512, relu, input_shape=(784,))}, {@code Dense(10,
   * softmax)}; {@code compile(optimizer='rmsprop', loss='categorical_crossentropy')}; {@code
   * fit(epochs=5, batch_size=128)}. The tutorial reports test accuracy 0.9758.
   */
  public static Preset mlp() {
    return new Preset(
        "mlp",
        "the Keras MLP tutorial",
        "Dense(512, relu) -> Dense(10, softmax); RMSprop; 5 epochs",
        Sequential.of(
            "mlp", input(28, 28), new Flatten(), new Dense(512, RELU), new Dense(10, SOFTMAX)),
        Recipe.compile(OptimizerSpec.rmsprop(), CATEGORICAL_CROSSENTROPY)
            .withEpochs(5)
            .withBatchSize(128));
  }

  /**
   * The Keras dropout MLP tutorial: {@code Dense(512) Activation('relu') Dropout(0.2)} twice, then
   * {@code Dense(10) Activation('softmax')}; {@code compile(loss='categorical_crossentropy',
   * optimizer='adam')}; {@code fit(batch_size=128, epochs=4, validation_data=(X_test, Y_test))}.
   */
  public static Preset mlpDropout() {
    return new Preset(
        "mlp-dropout",
        "the Keras dropout MLP tutorial",
        "2 x [Dense(512, relu) -> Dropout(0.2)] -> Dense(10, softmax); Adam; 4 epochs",
        Sequential.of(
            "mlp-dropout",
            input(28, 28),
            new Flatten(),
            new Dense(512),
            new ActivationLayer(RELU),
            new Dropout(0.2),
            new Dense(512),
            new ActivationLayer(RELU),
            new Dropout(0.2),
            new Dense(10),
            new ActivationLayer(SOFTMAX)),
        Recipe.compile(OptimizerSpec.adam(), CATEGORICAL_CROSSENTROPY)
            .withEpochs(4)
            .withBatchSize(128));
  }

  /**
   * The Keras beginner's tutorial: {@code Flatten, Dense(128, relu), Dropout(0.5), Dense(128,
   * relu), Dropout(0.5), Dense(10, softmax)}; {@code compile(Adam(lr=0.001),
   * CategoricalCrossentropy())}; {@code fit(epochs=10, validation_split=0.2)} with Keras' default
   * batch size 32.
   */
  public static Preset mlpSmall() {
    return new Preset(
        "mlp-small",
        "the Keras beginner's tutorial",
        "Dense(128, relu) -> Dropout(0.5) -> Dense(128, relu) -> Dropout(0.5) -> Dense(10, "
            + "softmax); Adam; batch 32; 10 epochs; validation_split 0.2",
        Sequential.of(
            "mlp-small",
            input(28, 28),
            new Flatten(),
            new Dense(128, RELU),
            new Dropout(0.5),
            new Dense(128, RELU),
            new Dropout(0.5),
            new Dense(10, SOFTMAX)),
        Recipe.compile(OptimizerSpec.adam().withLearningRate(0.001), CATEGORICAL_CROSSENTROPY)
            .withEpochs(10)
            .validationSplit(0.2));
  }

  /**
   * Nielsen's numpy network (Neural Networks and Deep Learning, chapter 1): {@code network([784,
   * 30, 10])}, sigmoid everywhere, weights and biases from {@code np.random.randn}, quadratic cost,
   * {@code SGD(train_data, 30, 10, 0.1)}: 30 epochs of mini-batches of 10 with eta 0.1, where each
   * update is w -= (eta/len(batch)) * sum of the batch's gradients (plain SGD on the batch-mean
   * cost). Prints the test accuracy after every epoch. Nielsen's book uses eta 3.0.
   */
  public static Preset nielsen() {
    Initializer randn = Initializers.randomNormal(0, 1);
    return new Preset(
        "nielsen",
        "Nielsen's numpy network",
        "[784, 30, 10] sigmoid, N(0,1) init, quadratic cost, SGD eta 0.1, batch 10, 30 epochs",
        Sequential.of(
            "nielsen",
            input(28, 28),
            new Flatten(),
            new Dense(30, SIGMOID, randn, randn),
            new Dense(10, SIGMOID, randn, randn)),
        Recipe.compile(OptimizerSpec.sgd().withLearningRate(0.1), QUADRATIC)
            .withEpochs(30)
            .withBatchSize(10),
        out -> List.of(new NielsenLogger(out)));
  }

  /**
   * The Keras CNN example ({@code mnist_cnn.py}): {@code Conv2D(32, (3, 3), relu, input_shape=(28,
   * 28, 1))}, {@code Conv2D(64, (3, 3), relu)}, {@code MaxPooling2D((2, 2))}, {@code
   * Dropout(0.25)}, {@code Flatten()}, {@code Dense(128, relu)}, {@code Dropout(0.5)}, {@code
   * Dense(10, softmax)}; {@code compile(loss=categorical_crossentropy, optimizer=Adadelta())} with
   * Keras 2's Adadelta defaults (lr 1.0, rho 0.95, epsilon 1e-7); {@code fit(batch_size=128,
   * epochs=12, validation_data=(x_test, y_test))}. The tutorial reports test accuracy 0.9919.
   */
  public static Preset cnn() {
    return new Preset(
        "cnn",
        "the Keras CNN example",
        "Conv2D(32) -> Conv2D(64) -> MaxPool -> Dropout(0.25) -> "
            + "Dense(128) -> Dropout(0.5) -> Dense(10); Adadelta(lr 1.0); 12 epochs",
        Sequential.of(
            "cnn",
            input(28, 28),
            new Reshape(28, 28, 1),
            new Conv2D(32, 3, RELU),
            new Conv2D(64, 3, RELU),
            new MaxPooling2D(2),
            new Dropout(0.25),
            new Flatten(),
            new Dense(128, RELU),
            new Dropout(0.5),
            new Dense(10, SOFTMAX)),
        Recipe.compile(OptimizerSpec.adadelta().withLearningRate(1.0), CATEGORICAL_CROSSENTROPY)
            .withEpochs(12)
            .withBatchSize(128));
  }

  /**
   * Not a tutorial's model: what the Keras layers that took MNIST past 99.5 % add up to. In the
   * graph, active in training only: {@code RandomRotation(0.03)} (up to 10.8 degrees), {@code
   * RandomZoom(0.1)} and {@code RandomTranslation(0.1, 0.1)}, filling with black. Then two blocks
   * of {@code [Conv2D(3x3, padding='same', use_bias=False), BatchNormalization(),
   * Activation('relu')] x 2, MaxPooling2D()} with 32 and 64 filters, {@code Flatten()}, {@code
   * Dense(128, use_bias=False), BatchNormalization(), Activation('relu'), Dropout(0.4)}, {@code
   * Dense(10, softmax)}; Adam whose rate follows {@code CosineDecay(0.002, 15 epochs of steps,
   * alpha=0.01)}; {@code fit(epochs=15, batch_size=128, validation_data=(x_test, y_test))}.
   */
  public static Preset cnnBest() {
    int epochs = 15;
    int batch = 128;
    long steps = (long) epochs * ((60_000 + batch - 1) / batch);
    return new Preset(
        "cnn-best",
        "Keras layers beyond the tutorials",
        "augment -> 2 x [2 x (Conv2D -> BatchNorm -> ReLU) -> MaxPool] -> Dense(128) -> BatchNorm "
            + "-> Dropout(0.4) -> Dense(10); Adam with cosine decay; 15 epochs",
        Sequential.of(
            "cnn_best",
            input(28, 28),
            new Reshape(28, 28, 1),
            new RandomRotation(0.03, FillMode.CONSTANT, 0f),
            new RandomZoom(0.1, null, FillMode.CONSTANT, 0f),
            new RandomTranslation(0.1, 0.1, FillMode.CONSTANT, 0f),
            conv(32),
            new BatchNormalization(),
            new ActivationLayer(RELU),
            conv(32),
            new BatchNormalization(),
            new ActivationLayer(RELU),
            new MaxPooling2D(2),
            conv(64),
            new BatchNormalization(),
            new ActivationLayer(RELU),
            conv(64),
            new BatchNormalization(),
            new ActivationLayer(RELU),
            new MaxPooling2D(2),
            new Flatten(),
            new Dense(128).withoutBias(),
            new BatchNormalization(),
            new ActivationLayer(RELU),
            new Dropout(0.4),
            new Dense(10, SOFTMAX)),
        Recipe.compile(
                OptimizerSpec.adam().withSchedule(new LearningRate.CosineDecay(0.002, steps, 0.01)),
                CATEGORICAL_CROSSENTROPY)
            .withEpochs(epochs)
            .withBatchSize(batch));
  }

  /** {@code Conv2D(filters, (3, 3), padding='same', use_bias=False)}. */
  private static Conv2D conv(int filters) {
    return new Conv2D(filters, 3, 3, 1, Padding.SAME, LINEAR).withoutBias();
  }

  /** Every preset, by name, in the order the README lists them. */
  public static Map<String, Preset> all() {
    Map<String, Preset> m = new LinkedHashMap<>();
    for (Preset p : List.of(mlp(), mlpDropout(), mlpSmall(), nielsen(), cnn(), cnnBest())) {
      m.put(p.name(), p);
    }
    return m;
  }

  public static Preset get(String name) {
    Preset p = all().get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown preset '" + name + "' (one of " + String.join(", ", all().keySet()) + ")");
    }
    return p;
  }
}
