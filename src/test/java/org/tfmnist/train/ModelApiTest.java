package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.image.DigitPng;
import org.tfmnist.image.DigitPreprocessor;
import org.tfmnist.image.ImageFiles;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.presets.Presets;
import org.tfmnist.runtime.ServingModel;

/**
 * The model's life as a Keras user writes it, on one MLP fitted with {@code new Model(network)}
 * (1,000 MNIST images, 2 epochs): Keras' seed 42 by default, evaluate's public record, predict on
 * floats as on the labelled images, predict on a PNG through {@code tf-mnist predict}'s
 * preprocessing. {@link ModelBuildTest} covers the progress printing and the build's checks.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelApiTest {

  private static final int BATCH = 128;

  @TempDir Path tmp;

  private Model model;
  private History history;
  private final LabeledImages test = TestData.mnist().test().slice(500, 1000);

  @BeforeAll
  void fit() {
    model = new Model(Presets.mlp().model()).verbose(0);
    model.compile(Presets.mlp().recipe().optimizer(), Presets.mlp().recipe().loss());
    history = model.fit(TinyRuns.train(), TinyRuns.validation(), 2, BATCH);
  }

  @AfterAll
  void close() {
    model.close();
  }

  @Test
  void aModelOfTheNetworkAloneHasKerasSeed42() {
    try (Model seeded = new Model(Presets.mlp().model(), 42, null).verbose(0)) {
      seeded.compile(Presets.mlp().recipe().optimizer(), Presets.mlp().recipe().loss());
      History h = seeded.fit(TinyRuns.train(), TinyRuns.validation(), 2, BATCH, List.of());
      assertEquals(2, history.epochs().size());
      for (int e = 0; e < 2; e++) {
        assertEquals(h.epochs().get(e).loss(), history.epochs().get(e).loss(), "epoch " + e);
        assertEquals(h.epochs().get(e).valAccuracy(), history.epochs().get(e).valAccuracy());
      }
    }
    assertTrue(history.epochs().get(1).valAccuracy() > 0.8, "it learned: " + history.epochs());
  }

  @Test
  void evaluateReturnsLossAccuracyAndCount() {
    Metrics r = model.evaluate(test);
    Metrics inGraph = model.graph().evaluate(test);
    assertEquals(new Metrics(inGraph.loss(), inGraph.accuracy(), 500, inGraph.globalStep()), r);
    assertTrue(r.accuracy() > 0.7 && r.accuracy() <= 1, "accuracy " + r.accuracy());
    assertTrue(r.loss() > 0 && r.loss() < 1, "loss " + r.loss());
    float[][] p = model.predict(test);
    int correct = 0;
    for (int i = 0; i < 500; i++) {
      correct += ServingModel.argmax(p[i]) == test.label(i) ? 1 : 0;
    }
    assertEquals(correct / 500.0, r.accuracy(), 1e-12, "the accuracy of the predictions");
  }

  @Test
  void predictOnFloatsEqualsPredictOnTheLabelledImages() {
    float[][] images = new float[test.count()][];
    for (int i = 0; i < images.length; i++) {
      images[i] = test.imageAsFloats(i);
    }
    float[][] fromFloats = model.predict(images);
    float[][] fromData = model.predict(test);
    assertEquals(fromData.length, fromFloats.length);
    for (int i = 0; i < fromData.length; i++) {
      assertArrayEquals(fromData[i], fromFloats[i], 1e-6f, "image " + i);
    }
    // a second call reuses the pass; one image alone gives the same (to float rounding)
    assertArrayEquals(fromFloats[7], model.predict(new float[][] {images[7]})[0], 1e-6f);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> model.predict(new float[][] {new float[783]}));
    assertTrue(e.getMessage().contains("783") && e.getMessage().contains("784"), e.getMessage());
  }

  @Test
  void predictOnAPngGivesTheDigit() throws Exception {
    float[][] fromData = model.predict(test);
    int checked = 0;
    int scansRight = 0;
    for (int i = 0; i < test.count() && checked < 5; i++) {
      if (ServingModel.argmax(fromData[i]) != test.label(i)) {
        continue; // a digit the model gets wrong says nothing of the picture's path
      }
      // an MNIST-like picture passes through the preprocessing unchanged
      Path png = tmp.resolve("mnist-" + i + ".png");
      Files.write(png, DigitPng.encode(test.imageAsFloats(i)));
      float[] p = model.predict(png);
      assertArrayEquals(fromData[i], p, 1e-5f, "picture " + png);
      // ink on paper, four times larger: found, centred and scaled as tf-mnist predict does it
      Path scan = tmp.resolve("scan-" + i + ".png");
      javax.imageio.ImageIO.write(inkOnPaper(test.imageAsFloats(i)), "png", scan.toFile());
      float[] prepared = new DigitPreprocessor().process(ImageFiles.read(scan)).pixels();
      float[] q = model.predict(scan);
      assertArrayEquals(model.predict(new float[][] {prepared})[0], q, 0f);
      scansRight += ServingModel.argmax(q) == test.label(i) ? 1 : 0;
      checked++;
    }
    assertEquals(5, checked);
    assertTrue(scansRight >= 4, scansRight + " of 5 scanned digits recognised");
  }

  /** A 112x112 picture of dark ink on light paper, as a scanned digit is. */
  private static java.awt.image.BufferedImage inkOnPaper(float[] pixels) {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(112, 112, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 112; y++) {
      for (int x = 0; x < 112; x++) {
        int v = Math.round((1 - pixels[(y / 4) * 28 + x / 4]) * 255);
        img.getRaster().setSample(x, y, 0, v);
      }
    }
    return img;
  }
}
