package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.export.ServingModel;
import org.tfmnist.image.CanvasRenderer;
import org.tfmnist.image.Inputs;
import org.tfmnist.predict.Prediction;
import org.tfmnist.predict.Predictor;

/**
 * The picture route: canvas drawings (280x280 PNG: white on black, black on white, black ink on
 * transparent pixels as an unfilled canvas exports) get exactly the answer {@code tf-mnist predict}
 * gives for the same files, raw or as a multipart upload; a picture that cannot be used is a 400
 * with predict's own message.
 */
class RecognizeTest {

  @TempDir static Path tmp;
  static ServerFixture f;

  @BeforeAll
  static void start() throws IOException {
    TestModels.copy(TestModels.cnn(), tmp.resolve("models/cnn/1"));
    f = new ServerFixture(ServerFixture.config(tmp.resolve("models")));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void canvasDrawingsGetWhatPredictGives() throws IOException {
    LabeledImages test = TestData.test();
    Path dir = Files.createDirectories(tmp.resolve("canvases"));
    List<Path> files = new ArrayList<>();
    int n = 30;
    java.util.Random rnd = new java.util.Random(3);
    for (CanvasRenderer.Style s : CanvasRenderer.Style.values()) {
      for (int i = 0; i < n; i++) {
        Path p = dir.resolve(String.format("%s-%02d-%d.png", s.tag, i, test.label(i)));
        Files.write(p, CanvasRenderer.png(CanvasRenderer.render(test.imageAsFloats(i), s, rnd)));
        files.add(p);
      }
    }
    List<Prediction> cli;
    try (ServingModel m = ServingModel.load(tmp.resolve("models/cnn/1"))) {
      cli = new Predictor(m, null).predict(Inputs.expand(files, null));
    }
    int right = 0;
    for (int k = 0; k < files.size(); k++) {
      byte[] png = Files.readAllBytes(files.get(k));
      ServerFixture.Reply r =
          k % 2 == 0
              ? f.post("/v1/models/cnn:recognize", png, "image/png")
              : f.post(
                  "/v1/models/cnn/versions/1:recognize",
                  multipart("drawing.png", png),
                  "multipart/form-data; boundary=XyZ");
      assertEquals(200, r.status(), files.get(k) + ": " + r.body());
      Map<String, Object> json = r.json();
      int digit = ((Number) json.get("digit")).intValue();
      assertEquals(cli.get(k).digit(), digit, files.get(k) + ": the CLI says otherwise");
      float[] p = ServeApiTest.floats((List<?>) json.get("probabilities"));
      assertEquals(10, p.length);
      assertEquals(cli.get(k).probability(), p[digit], 1e-5f);
      right += digit == test.label(k % n) ? 1 : 0;
      BufferedImage seen =
          ImageIO.read(
              new ByteArrayInputStream(
                  Base64.getDecoder().decode((String) json.get("preprocessed_png"))));
      assertEquals(28, seen.getWidth());
      assertEquals(28, seen.getHeight());
      assertEquals(
          Map.of("name", "cnn", "version", "1", "signature_name", "serving_default"),
          json.get("model_spec"));
    }
    assertTrue(right >= 0.9 * files.size(), right + " of " + files.size() + " right");
  }

  @Test
  void unusablePicturesAre400sWithPredictsMessage() throws IOException {
    BufferedImage blank = new BufferedImage(280, 280, BufferedImage.TYPE_INT_ARGB);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    ImageIO.write(blank, "png", b);
    byte[] empty = b.toByteArray();
    Path file = tmp.resolve("blank.png");
    Files.write(file, empty);
    String cliError;
    try (ServingModel m = ServingModel.load(tmp.resolve("models/cnn/1"))) {
      cliError = new Predictor(m, null).predict(Inputs.expand(List.of(file), null)).get(0).error();
    }
    assertTrue(cliError.startsWith(file + ": "), cliError);
    String why = cliError.substring(file.toString().length());

    ServerFixture.Reply raw = f.post("/v1/models/cnn:recognize", empty, "image/png");
    assertEquals(400, raw.status(), raw.body());
    assertEquals("request body" + why, raw.error());
    ServerFixture.Reply named =
        f.post(
            "/v1/models/cnn:recognize",
            multipart("blank.png", empty),
            "multipart/form-data; boundary=XyZ");
    assertEquals("blank.png" + why, named.error());

    ServerFixture.Reply text =
        f.post(
            "/v1/models/cnn:recognize",
            multipart("notes.txt", "hello".getBytes(StandardCharsets.UTF_8)),
            "multipart/form-data; boundary=XyZ");
    assertEquals(400, text.status());
    assertEquals("notes.txt: not an image (PNG, JPEG, BMP or GIF)", text.error());
    assertEquals(
        "request body: empty file",
        f.post("/v1/models/cnn:recognize", new byte[0], "image/png").error());
    byte[] huge = org.tfmnist.TestPictures.hugeHeaderPng(60_000, 60_000);
    ServerFixture.Reply big = f.post("/v1/models/cnn:recognize", huge, "image/png");
    assertEquals(400, big.status(), big.body());
    assertTrue(big.error().contains("60000x60000 pixels is too large"), big.body());
    assertEquals(404, f.post("/v1/models/nope:recognize", empty, "image/png").status());
    assertEquals(200, f.get("/healthz").status());
  }

  static byte[] multipart(String fileName, byte[] data) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] head =
        ("--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    b.writeBytes(head);
    b.writeBytes(data);
    b.writeBytes("\r\n--XyZ--\r\n".getBytes(StandardCharsets.UTF_8));
    return b.toByteArray();
  }
}
