package org.tfmnist.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.train.History;
import org.tfmnist.util.Png;

/** Each picture is a decodable PNG of the expected size whose titles match the data. */
class PicturesTest {

  @TempDir Path tmp;

  private static BufferedImage roundTrip(BufferedImage img, Path file) throws IOException {
    Png.write(img, file);
    BufferedImage back = ImageIO.read(file.toFile());
    assertEquals(img.getWidth(), back.getWidth());
    assertEquals(img.getHeight(), back.getHeight());
    return back;
  }

  @Test
  void sampleGridsAreTitledWithTheirLabels() throws IOException {
    LabeledImages train = TestData.train();
    Pictures.Grid g = Pictures.samples("MNIST", train, 15, 0, null);
    assertEquals(15, g.cells().size());
    for (int k = 0; k < 15; k++) {
      assertEquals(k, g.indices()[k]);
      assertEquals(List.of("Label: " + train.label(k)), g.cells().get(k).title());
    }
    // 4 columns (ceil(sqrt(15))) x 4 rows of 28x4-pixel digits with padding and a title line
    BufferedImage img = roundTrip(g.image(), tmp.resolve("samples.png"));
    assertEquals(4 * (112 + 24), img.getWidth());
    assertEquals(40 + 4 * (112 + 18 + 24), img.getHeight());
    // the first digit (a 5) is drawn dark on white where MNIST's pixels are bright
    float[] px = train.imageAsFloats(0);
    int brightest = 0;
    for (int i = 1; i < 784; i++) {
      brightest = px[i] > px[brightest] ? i : brightest;
    }
    int x = 12 + (brightest % 28) * 4 + 1;
    int y = 40 + 12 + 18 + (brightest / 28) * 4 + 1;
    assertTrue((img.getRGB(x, y) & 0xff) < 30, "ink is dark");
    assertTrue((img.getRGB(12 + 1, 40 + 12 + 18 + 1) & 0xff) > 225, "background is light");

    Pictures.Grid r = Pictures.samples("MNIST", train, 6, 0, new Random(3));
    for (int k = 0; k < 6; k++) {
      assertEquals("Label: " + train.label(r.indices()[k]), r.cells().get(k).title().get(0));
    }
  }

  @Test
  void predictionGridsMarkTheWrongOnesRed() throws IOException {
    LabeledImages test = TestData.test();
    // a "model" that says 0 for every image: right exactly on the zeros
    float[][] p = new float[test.count()][10];
    for (float[] row : p) {
      row[0] = 1f;
    }
    Pictures.Grid wrong =
        Pictures.predictions("t", test, p, Pictures.Which.WRONG, 9, new Random(1));
    assertEquals(9, wrong.cells().size());
    for (int k = 0; k < 9; k++) {
      int i = wrong.indices()[k];
      assertTrue(test.label(i) != 0);
      assertEquals(List.of("actual:" + test.label(i), "predict:0"), wrong.cells().get(k).title());
      assertTrue(wrong.cells().get(k).red());
    }
    Pictures.Grid right =
        Pictures.predictions("t", test, p, Pictures.Which.RIGHT, 4, new Random(1));
    // the test slice holds many zeros, so the grid of right answers is full: 4 distinct zeros
    int zeros = test.classCounts()[0];
    assertTrue(zeros >= 4, zeros + " zeros");
    assertEquals(4, right.cells().size());
    assertEquals(4, right.indices().length);
    assertEquals(4, java.util.Arrays.stream(right.indices()).distinct().count());
    for (int k = 0; k < 4; k++) {
      assertEquals(0, test.label(right.indices()[k]));
      assertEquals(List.of("actual:0", "predict:0"), right.cells().get(k).title());
      assertFalse(right.cells().get(k).red());
    }
    // asking for more than there are gives every one of them: all the zeros, all the others
    Pictures.Grid allRight =
        Pictures.predictions("t", test, p, Pictures.Which.RIGHT, test.count(), new Random(1));
    assertEquals(zeros, allRight.cells().size());
    Pictures.Grid allWrong =
        Pictures.predictions("t", test, p, Pictures.Which.WRONG, test.count(), null);
    assertEquals(test.count() - zeros, allWrong.cells().size());
    roundTrip(wrong.image(), tmp.resolve("wrong.png"));
  }

  @Test
  void historyAndConfusionChartsArePngsOfTheAskedSize() throws IOException {
    History h = new History();
    for (int e = 1; e <= 5; e++) {
      h.add(new History.Epoch(e, 1.0 / e, 0.9 + e / 100.0, 1.2 / e, 0.88 + e / 100.0, 1));
    }
    BufferedImage curves = roundTrip(Charts.history("mlp", h, 1200, 480), tmp.resolve("h.png"));
    assertEquals(1200, curves.getWidth());
    int[][] m = new int[10][10];
    for (int i = 0; i < 10; i++) {
      m[i][i] = 95 + i;
      m[i][(i + 1) % 10] = 3;
    }
    BufferedImage heat = roundTrip(Charts.confusion("cnn", m, 720), tmp.resolve("c.png"));
    assertEquals(840, heat.getWidth());
    assertEquals(720, heat.getHeight());
  }

  @Test
  void asciiPrintsTheTutorialsPixelRows() {
    LabeledImages train = TestData.mnist().train();
    String s = DigitGrid.ascii(train.pixels(), 4 * 784);
    String[] rows = s.split("\n");
    assertEquals(28, rows.length);
    // the Keras MLP tutorial prints train_images[4] (a 9): row 7 starts the digit
    assertEquals(
        "[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 55, 148, 210, 253, 253, 113, 87, 148, 55, "
            + "0, 0, 0, 0, 0, 0, 0]",
        rows[7]);
  }
}
