// Quiet TensorFlow's native INFO and WARNING lines on stderr (oneDNN notices, "Calling Java
// gradient function for operation of type _FusedConv2D"): TensorFlow takes its log level from the
// environment variable TF_CPP_MIN_LOG_LEVEL, which Java cannot set once the JVM runs, so set it
// before java starts (errors are still printed):
//
//   export TF_CPP_MIN_LOG_LEVEL=2
//   java -cp ... org.tfmnist.examples.LeNet5 [DATA_DIR [OUT_DIR [TRAIN_LIMIT [PICTURE]]]]
package org.tfmnist.examples;

import static org.tfmnist.nn.Activation.RELU;
import static org.tfmnist.nn.Activation.SOFTMAX;
import static org.tfmnist.nn.Sequential.input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tfmnist.data.Datasets;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.data.Mnist;
import org.tfmnist.nn.AveragePooling2D;
import org.tfmnist.nn.Conv2D;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Flatten;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Padding;
import org.tfmnist.nn.Reshape;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.train.History;
import org.tfmnist.train.Model;
import org.tfmnist.train.callbacks.BackupAndRestore;
import org.tfmnist.train.callbacks.CSVLogger;
import org.tfmnist.train.callbacks.EarlyStopping;

/**
 * LeNet-5 on MNIST with tf-mnist as a library: define, compile with Adam, fit an epoch with
 * callbacks, evaluate, read the digit in a picture, save, export a SavedModel. Run it again and it
 * continues training from the {@code .keras} file the first run saved.
 */
public final class LeNet5 {

  private LeNet5() {}

  public static void main(String[] args) throws IOException {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "data");
    Path out = Path.of(args.length > 1 ? args[1] : "lenet5-out");
    int trainLimit = args.length > 2 ? Integer.parseInt(args[2]) : 60_000;
    Path picture = Path.of(args.length > 3 ? args[3] : "seven.png");

    // MNIST: the verified copy in dataDir/mnist, fetched there first when it is missing
    Datasets.Splits mnist = Mnist.load(dataDir);
    LabeledImages train = mnist.train().limit(trainLimit);
    LabeledImages test = mnist.test().limit(Math.min(10_000, Math.max(1_000, trainLimit / 6)));

    // LeNet-5 as Keras writes it: Input((28, 28)), Reshape((28, 28, 1)), Conv2D(6, 5,
    // padding="same", activation="relu"), AveragePooling2D(), Conv2D(16, 5, activation="relu"),
    // AveragePooling2D(), Flatten(), Dense(120, "relu"), Dense(84, "relu"), Dense(10, "softmax")
    Sequential lenet5 =
        Sequential.of(
            "lenet5",
            input(28, 28),
            new Reshape(28, 28, 1),
            new Conv2D(6, 5, RELU).padding(Padding.SAME),
            new AveragePooling2D(),
            new Conv2D(16, 5, RELU),
            new AveragePooling2D(),
            new Flatten(),
            new Dense(120, RELU),
            new Dense(84, RELU),
            new Dense(10, SOFTMAX));

    Files.createDirectories(out);
    Path saved = out.resolve("lenet5.keras");
    boolean again = Files.exists(saved);
    // a second run continues from the first one's file, as keras.saving.load_model does
    try (Model model = again ? Model.loadKeras(saved) : new Model(lenet5)) {
      if (again) {
        System.out.printf("continuing from %s after %d steps%n", saved, model.iterations());
      } else {
        model.compile(OptimizerSpec.adam(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
        System.out.print(model.summary());
      }
      History history =
          model.fit(
              train,
              test,
              1,
              128,
              List.of(
                  new EarlyStopping().patience(2).restoreBestWeights(true),
                  new CSVLogger(out.resolve("training.csv")),
                  // a run killed mid-fit resumes from its last epoch when started again
                  new BackupAndRestore(out.resolve("backup"))));
      Metrics result = model.evaluate(test);
      float[] p = model.predict(picture);
      int digit = 0;
      for (int d = 1; d < p.length; d++) {
        digit = p[d] > p[digit] ? d : digit;
      }
      model.saveKeras(saved);
      Path exported = model.exportNextVersion(out.resolve("models/lenet5"), history.files());
      System.out.printf("%s: %d (probability %.3f)%n", picture, digit, p[digit]);
      System.out.printf("saved %s, exported %s%n", saved, exported);
      System.out.printf(
          "test loss %.4f, test accuracy %.4f (%d images) after %d steps%n",
          result.loss(), result.accuracy(), result.count(), model.iterations());
    }
  }
}
