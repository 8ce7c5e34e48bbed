package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.image.CanvasRenderer;
import org.tfmnist.image.DigitPreprocessor;
import org.tfmnist.image.ImageFiles;
import org.tfmnist.image.Inputs;
import org.tfmnist.predict.Prediction;
import org.tfmnist.predict.Predictor;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.util.Png;

/**
 * The picture route: canvas drawings (280x280 PNG: white on black, black on white, black ink on
 * transparent pixels as an unfilled canvas exports) get exactly the answer {@code tf-mnist predict}
 * gives for the same files, raw or as a multipart upload: the digit, all ten probabilities, the
 * preprocessed picture and whether it was inverted; a picture that cannot be used is a 400 with
 * predict's own message.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
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
        Files.write(p, Png.encode(CanvasRenderer.render(test.imageAsFloats(i), s, rnd)));
        files.add(p);
      }
    }
    // what tf-mnist predict answers, and the pictures it saves with --save-preprocessed (named
    // by the input's index first, so sorted names are in the inputs' order)
    Path saved = tmp.resolve("preprocessed");
    List<Prediction> cli;
    List<DigitPreprocessor.Result> prepared = new ArrayList<>();
    float[][] probabilities = new float[files.size()][];
    try (ServingModel m = ServingModel.load(tmp.resolve("models/cnn/1"))) {
      cli = new Predictor(m, saved).predict(Inputs.expand(files, null));
      // its steps one by one, for what it does not print: all ten probabilities and whether the
      // picture was inverted
      for (int k = 0; k < files.size(); k++) {
        prepared.add(new DigitPreprocessor().process(ImageFiles.read(files.get(k))));
        probabilities[k] = m.predict(prepared.get(k).pixels(), 1)[0];
      }
    }
    List<Path> pngs;
    try (Stream<Path> s = Files.list(saved)) {
      pngs = s.sorted().toList();
    }
    assertEquals(files.size(), pngs.size());
    Set<Boolean> inversions = new HashSet<>();
    int right = 0;
    for (int k = 0; k < files.size(); k++) {
      String what = files.get(k).toString();
      assertEquals(cli.get(k).digit(), ServingModel.argmax(probabilities[k]), what);
      assertEquals(cli.get(k).probability(), probabilities[k][cli.get(k).digit()], 1e-5f, what);
      byte[] png = Files.readAllBytes(files.get(k));
      ServerFixture.Reply r =
          k % 2 == 0
              ? f.post("/v1/models/cnn:recognize", png, "image/png")
              : f.post(
                  "/v1/models/cnn/versions/1:recognize",
                  multipart("drawing.png", png),
                  "multipart/form-data; boundary=XyZ");
      assertEquals(200, r.status(), what + ": " + r.body());
      Map<String, Object> json = r.json();
      int digit = ((Number) json.get("digit")).intValue();
      assertEquals(cli.get(k).digit(), digit, what + ": the CLI says otherwise");
      float[] p = ServeApiTest.floats((List<?>) json.get("probabilities"));
      assertArrayEquals(probabilities[k], p, 1e-5f, what + ": probabilities");
      assertEquals(prepared.get(k).inverted(), json.get("inverted"), what + ": inverted");
      inversions.add(prepared.get(k).inverted());
      byte[] seen = Base64.getDecoder().decode((String) json.get("preprocessed_png"));
      assertArrayEquals(
          Files.readAllBytes(pngs.get(k)), seen, what + ": not the picture predict saves");
      BufferedImage picture = ImageIO.read(new ByteArrayInputStream(seen));
      assertEquals(28, picture.getWidth());
      assertEquals(28, picture.getHeight());
      assertEquals(
          Map.of("name", "cnn", "version", "1", "signature_name", "serving_default"),
          json.get("model_spec"));
      right += digit == test.label(k % n) ? 1 : 0;
    }
    assertEquals(Set.of(true, false), inversions, "drawings of both polarities");
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
