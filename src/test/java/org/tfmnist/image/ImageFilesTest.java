package org.tfmnist.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.SpecialFiles;
import org.tfmnist.TestData;
import org.tfmnist.data.BadInputException;

/**
 * Picture files are read as the decoder asks for them, never whole, and only in the formats the
 * help lists.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ImageFilesTest {

  @TempDir Path tmp;

  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }

  @Test
  void aHugeFileThatIsNoPictureIsRefusedFromItsFirstBytes() throws IOException {
    // 3 GB of zeros named like a picture: one look at its first bytes, no array of its size
    Path big = SpecialFiles.sparse(tmp.resolve("x.png"), 3L << 30, new byte[0]);
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.read(big));
    assertEquals(big + ": not an image (PNG, JPEG, BMP or GIF)", e.getMessage());
    Path empty = Files.write(tmp.resolve("e.png"), new byte[0]);
    assertEquals(
        empty + ": empty file",
        assertThrows(BadInputException.class, () -> ImageFiles.read(empty)).getMessage());
  }

  @Test
  void aPictureFileIsReadWithoutItsTrailingBytes() throws IOException {
    // a real 28x28 PNG followed by 3 GB of zeros: the decoder stops at the picture's end
    byte[] png = DigitPng.encode(TestData.mnist().test().imageAsFloats(0));
    Path p = SpecialFiles.sparse(tmp.resolve("digit.png"), 3L << 30, png);
    BufferedImage img = ImageFiles.read(p);
    assertEquals(28, img.getWidth());
    assertEquals(28, img.getHeight());
  }

  @Test
  void tiffIsRefusedAsTheHelpListsOnlyPngJpegBmpAndGif() throws IOException {
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    byte[] tiff = encode(img, "tiff");
    Path p = Files.write(tmp.resolve("digit.tif"), tiff);
    assertEquals(
        p + ": a TIFF picture; only PNG, JPEG, BMP and GIF are read",
        assertThrows(BadInputException.class, () -> ImageFiles.read(p)).getMessage());
    // the server's picture route decodes uploads the same way
    assertEquals(
        "upload: a TIFF picture; only PNG, JPEG, BMP and GIF are read",
        assertThrows(BadInputException.class, () -> ImageFiles.decode(tiff, "upload"))
            .getMessage());
    for (String format : new String[] {"png", "jpeg", "bmp", "gif"}) {
      BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
      assertEquals(28, ImageFiles.decode(encode(rgb, format), format).getWidth(), format);
    }
  }
}
