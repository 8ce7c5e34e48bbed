package org.tfmnist.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pictures of more than {@link ImageFiles#DECODE_PIXELS} pixels (4 Mi) are decoded subsampled, to
 * about that many pixels, keeping what they show; pictures up to it are decoded in full.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImageFilesSubsamplingTest {

  @Test
  void theStepKeepsAtMostAboutFourMegapixels() {
    assertEquals(4L << 20, ImageFiles.DECODE_PIXELS);
    assertEquals(1, ImageFiles.subsampling(2048, 2048), "exactly 4 Mi: in full");
    assertEquals(2, ImageFiles.subsampling(2049, 2048));
    assertEquals(2, ImageFiles.subsampling(2400, 2000));
    assertEquals(3, ImageFiles.subsampling(6000, 4000), "24 MP");
    assertEquals(8, ImageFiles.subsampling(15_000, 15_000), "225 MP");
  }

  @Test
  void aPngOverFourMegapixelsIsDecodedSubsampled() throws IOException {
    BufferedImage big = halves(2400, 2000, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage read = ImageFiles.decode(encode(big, "png"), "big.png");
    assertEquals(1200, read.getWidth());
    assertEquals(1000, read.getHeight());
    assertHalves(read);
  }

  @Test
  void aJpegOverFourMegapixelsIsDecodedSubsampled() throws IOException {
    BufferedImage big = halves(3000, 3000, BufferedImage.TYPE_INT_RGB);
    BufferedImage read = ImageFiles.decode(encode(big, "jpg"), "big.jpg");
    assertEquals(1500, read.getWidth(), "every second pixel of 9 MP");
    assertEquals(1500, read.getHeight());
    assertHalves(read);
  }

  @Test
  void aPictureOfFourMegapixelsIsDecodedInFull() throws IOException {
    BufferedImage read =
        ImageFiles.decode(
            encode(halves(2048, 2048, BufferedImage.TYPE_BYTE_GRAY), "png"), "full.png");
    assertEquals(2048, read.getWidth());
    assertEquals(2048, read.getHeight());
    assertHalves(read);
  }

  /** Left half white, right half black. */
  private static BufferedImage halves(int w, int h, int type) {
    BufferedImage img = new BufferedImage(w, h, type);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, w / 2, h);
    g.dispose();
    return img;
  }

  private static void assertHalves(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    for (int y : new int[] {0, h / 2, h - 1}) {
      assertEquals(255, img.getRaster().getSample(w / 4, y, 0), 8, "left at y " + y);
      assertEquals(0, img.getRaster().getSample(3 * w / 4, y, 0), 8, "right at y " + y);
    }
  }

  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }
}
