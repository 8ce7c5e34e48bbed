package org.tfmnist.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.image.Inputs;
import org.tfmnist.image.PhotoRenderer;
import org.tfmnist.runtime.ServingModel;

/**
 * Digits rendered as photos (coloured paper, offsets, noise, PNG and JPEG) come back as the digits
 * they are, with a model trained here on 5,000 images; bad files get their own errors.
 */
class PredictorTest {

  @TempDir static Path tmp;
  static Path model;

  @BeforeAll
  static void trainModel() {
    model = TestModels.cnn(); // the Keras CNN example, Adam, 3 epochs on 5,000 images: about 95 %
  }

  @Test
  void photosOfDigitsComeBackRight() throws IOException {
    LabeledImages test = TestData.test();
    Path dir = Files.createDirectories(tmp.resolve("photos"));
    List<Integer> chosen = new ArrayList<>();
    try (ServingModel m = ServingModel.load(model)) {
      float[][] p = m.predict(test);
      for (int i = 0; i < test.count() && chosen.size() < 200; i++) {
        if (ServingModel.argmax(p[i]) == test.label(i)) {
          chosen.add(i); // digits the model knows in MNIST's own form
        }
      }
      Random rnd = new Random(42);
      for (int k = 0; k < chosen.size(); k++) {
        int i = chosen.get(k);
        BufferedImage photo = PhotoRenderer.render(test.imageAsFloats(i), rnd);
        PhotoRenderer.write(
            photo,
            dir.resolve(String.format("%03d-%d.%s", k, test.label(i), k % 2 == 0 ? "png" : "jpg")),
            rnd);
      }
      List<Prediction> ps =
          new Predictor(m, tmp.resolve("seen")).predict(Inputs.expand(List.of(dir), null));
      assertEquals(chosen.size(), ps.size());
      int right = 0;
      for (Prediction pr : ps) {
        assertTrue(pr.ok(), pr.error());
        String file = Path.of(pr.name()).getFileName().toString();
        int label = file.charAt(4) - '0';
        right += pr.digit() == label ? 1 : 0;
      }
      double acc = (double) right / ps.size();
      assertTrue(acc >= 0.95, "only " + right + " of " + ps.size() + " photos right");
      try (var s = Files.list(tmp.resolve("seen"))) {
        assertEquals(chosen.size(), s.count(), "one preprocessed PNG per photo");
      }
      BufferedImage seen =
          ImageIO.read(
              tmp.resolve("seen").resolve(Predictor.fileName(ps.get(0).name(), 0)).toFile());
      assertEquals(28, seen.getWidth());
    }
  }

  @Test
  void badFilesGetTheirOwnErrorAndTheRestIsPredicted() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("mixed"));
    LabeledImages test = TestData.test();
    Random rnd = new Random(7);
    PhotoRenderer.write(
        PhotoRenderer.render(test.imageAsFloats(0), rnd), dir.resolve("a.png"), rnd);
    Files.write(dir.resolve("b-empty.png"), new byte[0]);
    Files.writeString(dir.resolve("c-text.jpg"), "this is not a picture");
    byte[] png = Files.readAllBytes(dir.resolve("a.png"));
    Files.write(dir.resolve("d-truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
    BufferedImage blank = new BufferedImage(90, 70, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 70; y++) {
      for (int x = 0; x < 90; x++) {
        int v = 225 + rnd.nextInt(8);
        blank.setRGB(x, y, (v << 16) | (v << 8) | (v - 20));
      }
    }
    ImageIO.write(blank, "png", dir.resolve("e-blank.png").toFile());
    try (ServingModel m = ServingModel.load(model)) {
      List<Prediction> ps =
          new Predictor(m, null)
              .predict(Inputs.expand(List.of(dir, tmp.resolve("missing.png")), null));
      assertEquals(6, ps.size());
      assertTrue(ps.get(0).ok());
      assertEquals(test.label(0), ps.get(0).digit());
      String[] expected = {
        "empty file", "not an image", "truncated or corrupt", "no ink found", "no such file"
      };
      for (int i = 1; i < 6; i++) {
        Prediction p = ps.get(i);
        assertFalse(p.ok(), p.name());
        assertTrue(p.error().startsWith(p.name() + ": "), p.error());
        assertTrue(p.error().contains(expected[i - 1]), p.error());
        assertFalse(p.error().contains("\n"), p.error());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PredictionWriter.write(
          ps, PredictionWriter.Format.JSON, new PrintStream(out, true, StandardCharsets.UTF_8));
      List<Object> records = JSON.std.listFrom(out.toString(StandardCharsets.UTF_8));
      assertEquals(6, records.size(), "one JSON record per file, errors included");
      assertTrue(((Map<?, ?>) records.get(2)).containsKey("error"));
      assertEquals(3, ((List<?>) ((Map<?, ?>) records.get(0)).get("top3")).size());
    }
  }

  @Test
  void aPictureDeclaringAHugeCanvasFailsAloneAndCheaply() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("huge"));
    LabeledImages test = TestData.test();
    Random rnd = new Random(3);
    PhotoRenderer.write(
        PhotoRenderer.render(test.imageAsFloats(1), rnd), dir.resolve("a.png"), rnd);
    Files.write(dir.resolve("b-huge.png"), org.tfmnist.TestPictures.hugeHeaderPng(60_000, 60_000));
    try (ServingModel m = ServingModel.load(model)) {
      List<Prediction> ps = new Predictor(m, null).predict(Inputs.expand(List.of(dir), null));
      assertEquals(test.label(1), ps.get(0).digit());
      assertFalse(ps.get(1).ok());
      assertEquals(
          dir.resolve("b-huge.png")
              + ": 60000x60000 pixels is too large (at most 250 "
              + "megapixels)",
          ps.get(1).error());
    }
  }

  @Test
  void datasetImagesArePickedByIndexWithTheirLabels() {
    Path images = TestData.mnistDir().resolve("t10k-images-idx3-ubyte");
    List<Inputs.Input> in = Inputs.expand(List.of(images), Inputs.parseIndices("0-4,9999,10000"));
    assertEquals(7, in.size());
    assertTrue(in.get(6) instanceof Inputs.Broken b && b.error().contains("outside 0-9999"));
    try (ServingModel m = ServingModel.load(model)) {
      List<Prediction> ps = new Predictor(m, null).predict(in);
      assertEquals(TestData.test().label(0), ps.get(0).label());
      assertEquals(7, ps.get(0).label());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
