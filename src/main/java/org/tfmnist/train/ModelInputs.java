package org.tfmnist.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.image.DigitPreprocessor;
import org.tfmnist.image.ImageFiles;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.Shapes;
import org.tfmnist.train.callbacks.ProgbarLogger;

/**
 * What {@link Model} does to what a user hands it before TensorFlow sees it: data checked against
 * the input shape, float images laid end to end, a picture prepared as {@code tf-mnist predict}
 * prepares it, and Keras' default progress bar added to the callbacks.
 */
final class ModelInputs {

  private ModelInputs() {}

  /**
   * Refuses data whose images the model's input shape cannot take: 28x28 images fit {@code
   * Input((28, 28))} and {@code Input((28, 28, 1))} (the channel axis is added, as Keras users add
   * it with numpy).
   */
  static void checkFits(Sequential network, LabeledImages data, String what) {
    long[] in = network.inputShape();
    long[] plain = {data.rows(), data.cols()};
    long[] channel = {data.rows(), data.cols(), 1};
    if (!Arrays.equals(in, plain) && !Arrays.equals(in, channel)) {
      throw new IllegalArgumentException(
          "the model's input shape "
              + Shapes.keras(in).replace("None, ", "")
              + " does not fit the "
              + what
              + " images, which are "
              + data.rows()
              + "x"
              + data.cols()
              + ": use Input(("
              + data.rows()
              + ", "
              + data.cols()
              + ")) or Input(("
              + data.rows()
              + ", "
              + data.cols()
              + ", 1))");
    }
  }

  /** The images one after another, each checked against the model's input size. */
  static float[] flatten(Sequential network, float[][] images) {
    long size = Shapes.size(network.inputShape());
    float[] flat = new float[Math.multiplyExact(images.length, (int) size)];
    for (int i = 0; i < images.length; i++) {
      if (images[i].length != size) {
        throw new IllegalArgumentException(
            "image "
                + i
                + " has "
                + images[i].length
                + " pixels, the model takes "
                + size
                + " "
                + Shapes.keras(network.inputShape()).replace("None, ", ""));
      }
      System.arraycopy(images[i], 0, flat, i * (int) size, (int) size);
    }
    return flat;
  }

  /** The 784 pixels of the digit in a PNG or JPEG, found, centred and scaled as MNIST's are. */
  static float[] picture(Path file) {
    return new DigitPreprocessor().process(ImageFiles.read(file)).pixels();
  }

  /** The callbacks, with Keras' progress bar first when {@code verbose} asks for one. */
  static List<Callback> withProgress(List<Callback> callbacks, int verbose) {
    if (verbose == 0 || callbacks.stream().anyMatch(c -> c instanceof ProgbarLogger)) {
      return List.copyOf(callbacks);
    }
    List<Callback> all = new ArrayList<>();
    all.add(new ProgbarLogger(System.out, verbose == 1 && System.console() != null));
    all.addAll(callbacks);
    return List.copyOf(all);
  }
}
