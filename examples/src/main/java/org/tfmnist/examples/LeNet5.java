// Quiet TensorFlow's native INFO and WARNING lines on stderr (oneDNN notices, "Calling Java
// gradient function for operation of type _FusedConv2D"): TensorFlow takes its log level from the
// environment variable TF_CPP_MIN_LOG_LEVEL, which Java cannot set once the JVM runs, so set it
// before java starts (errors are still printed):
//
//   export TF_CPP_MIN_LOG_LEVEL=2
//   java -cp ... org.tfmnist.examples.LeNet5 [DATA_DIR [OUT_DIR [TRAIN_LIMIT]]]
package org.tfmnist.examples;

import static org.tfmnist.nn.Activation.RELU;
import static org.tfmnist.nn.Activation.SOFTMAX;
import static org.tfmnist.nn.Sequential.input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
import org.tfmnist.train.EvaluationResult;
import org.tfmnist.train.History;
import org.tfmnist.train.Model;
import org.tfmnist.train.callbacks.CSVLogger;
import org.tfmnist.train.callbacks.EarlyStopping;
import org.tfmnist.train.callbacks.Monitor;
import org.tfmnist.train.callbacks.ProgbarLogger;

/**
 * LeNet-5 on MNIST with tf-mnist as a library: define, compile with Adam, fit one epoch with
 * EarlyStopping and a CSVLogger, evaluate, export a SavedModel, print the test accuracy.
 */
public final class LeNet5 {

  private LeNet5() {}

  public static void main(String[] args) throws IOException {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "data");
    Path out = Path.of(args.length > 1 ? args[1] : "lenet5-out");
    int trainLimit = args.length > 2 ? Integer.parseInt(args[2]) : 60_000;

    // MNIST: the verified copy in dataDir/mnist, fetched there first when it is missing
    Datasets.Splits mnist = Mnist.load(dataDir);
    LabeledImages train = mnist.train().limit(trainLimit);
    LabeledImages test = mnist.test().limit(Math.min(10_000, Math.max(1_000, trainLimit / 6)));

    // LeNet-5 as Keras writes it: Input((28, 28)), Reshape((28, 28, 1)), Conv2D(6, 5,
    // padding="same", activation="relu"), AveragePooling2D(2), Conv2D(16, 5, activation="relu"),
    // AveragePooling2D(2), Flatten(), Dense(120, "relu"), Dense(84, "relu"), Dense(10, "softmax")
    Sequential lenet5 =
        Sequential.of(
            "lenet5",
            input(28, 28),
            new Reshape(28, 28, 1),
            new Conv2D(6, 5, 5, 1, Padding.SAME, RELU),
            new AveragePooling2D(2),
            new Conv2D(16, 5, RELU),
            new AveragePooling2D(2),
            new Flatten(),
            new Dense(120, RELU),
            new Dense(84, RELU),
            new Dense(10, SOFTMAX));

    Files.createDirectories(out);
    try (Model model = new Model(lenet5, 42, null)) {
      model.compile(OptimizerSpec.adam(), Loss.CATEGORICAL_CROSSENTROPY);
      System.out.print(model.summary());
      History history =
          model.fit(
              train,
              test,
              1,
              128,
              List.of(
                  new ProgbarLogger(System.out, false),
                  new EarlyStopping(new Monitor("val_loss"), 0, 2, true, System.out),
                  new CSVLogger(out.resolve("training.csv"), false)));
      EvaluationResult result = model.evaluate(test);
      Path exported = model.export(out.resolve("models/lenet5"), 0, history.files());
      System.out.printf("exported %s%n", exported);
      System.out.printf(
          "test loss %.4f, test accuracy %.4f (%d images)%n",
          result.loss(), result.accuracy(), result.count());
    }
  }
}
