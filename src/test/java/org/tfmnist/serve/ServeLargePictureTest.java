package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;

/**
 * A picture of more than 4 megapixels (decoded subsampled, which {@code ImageFilesSubsamplingTest}
 * checks on the decoder) is accepted by the picture route and read right.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeLargePictureTest {

  @TempDir Path tmp;

  @Test
  void aPictureOverFourMegapixelsIsAnswered() throws Exception {
    TestModels.copy(TestModels.cnn(), tmp.resolve("models/cnn/1"));
    LabeledImages test = TestData.test();
    int side = 2200; // 4.84 million pixels, above the 4 Mi decoded in full
    try (ServerFixture f = new ServerFixture(ServerFixture.config(tmp.resolve("models")))) {
      for (int i = 0; i < 2; i++) {
        byte[] png = ClaimSupport.digitPng(test.imageAsFloats(i), side);
        ServerFixture.Reply r = ClaimSupport.post(f, "/v1/models/cnn:recognize", png, "image/png");
        assertEquals(200, r.status(), r.body());
        Map<String, Object> json = r.json();
        assertEquals(test.label(i), ((Number) json.get("digit")).intValue(), r.body());
        assertTrue(!Boolean.TRUE.equals(json.get("inverted")), "white on black: " + r.body());
      }
    }
  }
}
