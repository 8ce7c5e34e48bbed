package org.tfmnist.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;

/** The preprocessing reproduces MNIST's own normalisation. */
class DigitPreprocessorTest {

  private final DigitPreprocessor pre = new DigitPreprocessor();

  static BufferedImage grey(float[] px, int w, int h, boolean invert) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float v = invert ? 1 - px[y * w + x] : px[y * w + x];
        img.getRaster().setSample(x, y, 0, Math.round(Math.max(0, Math.min(1, v)) * 255));
      }
    }
    return img;
  }

  private static double correlation(float[] a, float[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  @Test
  void anMnistDigitPassesThroughUnchanged() {
    LabeledImages test = TestData.test();
    for (int i = 0; i < 50; i++) {
      float[] digit = test.imageAsFloats(i);
      DigitPreprocessor.Result r = pre.process(grey(digit, 28, 28, false));
      assertTrue(r.passThrough());
      assertArrayEquals(digit, r.pixels(), 1e-6f);
    }
  }

  @Test
  void anMnistDigitOnPaperComesBackAsItself() {
    // black ink on white paper, 4x larger, off-centre: MNIST's normalisation gives it back
    LabeledImages test = TestData.test();
    double sum = 0;
    int close = 0;
    int n = 100;
    for (int i = 0; i < n; i++) {
      float[] digit = test.imageAsFloats(i);
      float[] big = Resample.resize(digit, 28, 28, 112, 112);
      float[] page = new float[200 * 160];
      for (int y = 0; y < 112; y++) {
        System.arraycopy(big, y * 112, page, (30 + y) * 160 + 17, 112);
      }
      DigitPreprocessor.Result r = pre.process(grey(page, 160, 200, true));
      assertFalse(r.passThrough());
      assertTrue(r.inverted(), "dark ink on light paper was recognised");
      double c = correlation(digit, r.pixels());
      close += c > 0.8 ? 1 : 0;
      sum += c;
    }
    // the same picture up to the rounding of MNIST's own centring (a 1-px shift of a thin
    // stroke costs much correlation)
    assertTrue(sum / n > 0.9, "mean correlation " + sum / n);
    assertTrue(close >= 90, close + " of " + n + " correlate above 0.8");
  }

  @Test
  void theDigitIsScaledTo20PixelsAndCentredByMass() {
    // a filled 10x30 bar, anywhere on a 100x100 page
    float[] page = new float[100 * 100];
    for (int y = 5; y < 35; y++) {
      for (int x = 60; x < 70; x++) {
        page[y * 100 + x] = 1;
      }
    }
    float[] out = pre.process(grey(page, 100, 100, true)).pixels();
    int rows = 0;
    double mass = 0;
    double my = 0;
    double mx = 0;
    for (int y = 0; y < 28; y++) {
      boolean any = false;
      for (int x = 0; x < 28; x++) {
        float v = out[y * 28 + x];
        any |= v > 0;
        mass += v;
        my += v * y;
        mx += v * x;
      }
      rows += any ? 1 : 0;
    }
    assertEquals(20, rows, "the longer side (grey edges included, as MNIST) is 20 px");
    assertEquals(14, my / mass, 0.5);
    assertEquals(14, mx / mass, 0.5);
  }

  @Test
  void aBlankPageIsAnError() {
    Random rnd = new Random(3);
    float[] page = new float[120 * 90];
    for (int i = 0; i < page.length; i++) {
      page[i] = (float) (0.1 + 0.03 * rnd.nextGaussian());
    }
    DigitPreprocessor.NoDigitException e =
        assertThrows(
            DigitPreprocessor.NoDigitException.class, () -> pre.process(grey(page, 120, 90, true)));
    assertTrue(e.getMessage().startsWith("no ink found"), e.getMessage());
    // and with specks of dust on it
    for (int k = 0; k < 6; k++) {
      page[rnd.nextInt(page.length)] = 0.9f;
    }
    assertThrows(
        DigitPreprocessor.NoDigitException.class, () -> pre.process(grey(page, 120, 90, true)));
  }
}
