package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.image.PhotoRenderer;

/**
 * The drawing page in a real browser (Debian's headless Chromium through chromedriver): digits
 * drawn as strokes with pointer moves (mouse, pen and touch) are read as the digits they are; Clear
 * clears; a screenshot of the page is saved as target/serve-page.png.
 */
class BrowserTest {

  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  @TempDir static Path tmp;
  static ServerFixture f;
  static ChromeDriver driver;

  /** Strokes of a digit, as (x, y) points on the 280x280 pad. */
  record Digit(int value, PointerInput.Kind kind, List<int[][]> strokes) {}

  @BeforeAll
  static void start() throws IOException {
    assertTrue(
        new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
        "the browser test needs Debian's chromium and chromium-driver: apt-get install -y "
            + "chromium chromium-driver (.ci/run installs them)");
    TestModels.copy(TestModels.cnn(), tmp.resolve("models/cnn/1"));
    f = new ServerFixture(ServerFixture.config(tmp.resolve("models")));
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM);
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1100,900",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chrome")));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .withLogLevel(org.openqa.selenium.chromium.ChromiumDriverLogLevel.WARNING)
            .build();
    java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(Level.WARNING);
    driver = new ChromeDriver(service, o);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (f != null) {
      f.close();
    }
  }

  @Test
  void drawnDigitsAreReadAsWhatTheyAre() throws IOException {
    driver.get(f.server.url().toString());
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.until(d -> d.findElements(By.cssSelector("#model option")).size() > 0);
    WebElement pad = driver.findElement(By.id("pad"));
    assertEquals(280, pad.getSize().getWidth());

    List<Digit> digits =
        List.of(
            new Digit(1, PointerInput.Kind.MOUSE, strokes(line(150, 45, 130, 235, 16))),
            new Digit(0, PointerInput.Kind.PEN, strokes(ellipse(140, 140, 62, 92, 40))),
            new Digit(
                7,
                PointerInput.Kind.MOUSE,
                strokes(concat(line(75, 60, 205, 60, 12), line(205, 60, 115, 235, 16)))),
            new Digit(
                4,
                PointerInput.Kind.TOUCH,
                strokes(
                    concat(line(165, 45, 75, 165, 12), line(75, 165, 215, 165, 12)),
                    line(170, 90, 170, 245, 14))),
            new Digit(
                3,
                PointerInput.Kind.MOUSE,
                strokes(
                    concat(
                        arc(135, 95, 55, 48, -150, 90, 16), arc(135, 190, 62, 50, -90, 150, 18)))));
    List<String> read = new ArrayList<>();
    for (Digit d : digits) {
      driver.findElement(By.id("clear")).click();
      for (int[][] stroke : d.strokes()) {
        draw(pad, d.kind(), stroke);
      }
      String version = pad.getAttribute("data-version");
      wait.until(x -> version.equals(driver.findElement(By.id("digit")).getAttribute("data-for")));
      WebElement digit = driver.findElement(By.id("digit"));
      read.add(d.value() + "->" + digit.getText());
      screenshot(Path.of("target", "serve-page-" + d.value() + ".png"));
      assertEquals(
          Integer.toString(d.value()),
          digit.getText(),
          "drawn "
              + d.value()
              + " with a "
              + d.kind()
              + "; status: "
              + driver.findElement(By.id("status")).getText()
              + "; read so far "
              + read);
      assertEquals(10, driver.findElements(By.cssSelector("#bars .row")).size());
      String seen = driver.findElement(By.id("seen")).getAttribute("src");
      assertTrue(seen.startsWith("data:image/png;base64,"), seen);
    }
    Files.copy(
        Path.of("target", "serve-page-3.png"),
        Path.of("target", "serve-page.png"),
        StandardCopyOption.REPLACE_EXISTING);

    // a photo chosen with the file button goes to the same route
    LabeledImages test = TestData.test();
    Path photo = tmp.resolve("photo-" + test.label(0) + ".png");
    PhotoRenderer.write(
        PhotoRenderer.render(test.imageAsFloats(0), new java.util.Random(5)),
        photo,
        new java.util.Random(5));
    String before = pad.getAttribute("data-version");
    driver.findElement(By.id("file")).sendKeys(photo.toString());
    wait.until(x -> !before.equals(pad.getAttribute("data-version")));
    String v = pad.getAttribute("data-version");
    wait.until(x -> v.equals(driver.findElement(By.id("digit")).getAttribute("data-for")));
    assertEquals(
        Integer.toString(test.label(0)),
        driver.findElement(By.id("digit")).getText(),
        "the photo of a " + test.label(0));
    driver.findElement(By.id("clear")).click();
    assertEquals("–", driver.findElement(By.id("digit")).getText());
    Object blank =
        ((JavascriptExecutor) driver)
            .executeScript(
                "const c = document.getElementById('pad');"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "return d.some(v => v !== 0);");
    assertEquals(false, blank, "Clear leaves a transparent canvas");
    Map<String, Object> m = f.get("/v1/models").json();
    assertTrue(m.containsKey("models"));
  }

  private static void draw(WebElement pad, PointerInput.Kind kind, int[][] points) {
    PointerInput p = new PointerInput(kind, kind.name().toLowerCase());
    Sequence s = new Sequence(p, 0);
    s.addAction(
        p.createPointerMove(
            Duration.ZERO,
            PointerInput.Origin.fromElement(pad),
            points[0][0] - 140,
            points[0][1] - 140));
    s.addAction(p.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
    for (int[] pt : points) {
      s.addAction(
          p.createPointerMove(
              Duration.ofMillis(8),
              PointerInput.Origin.fromElement(pad),
              pt[0] - 140,
              pt[1] - 140));
    }
    s.addAction(p.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
    driver.perform(List.of(s));
  }

  private void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try {
      Thread.sleep(500); // the bars' CSS transition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
  }

  static int[][] line(int x0, int y0, int x1, int y1, int n) {
    int[][] pts = new int[n + 1][];
    for (int i = 0; i <= n; i++) {
      pts[i] = new int[] {x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n};
    }
    return pts;
  }

  static int[][] ellipse(int cx, int cy, int rx, int ry, int n) {
    return arc(cx, cy, rx, ry, -90, 275, n);
  }

  /** An arc from angle {@code a0} to {@code a1} (degrees, clockwise from 3 o'clock). */
  static int[][] arc(int cx, int cy, int rx, int ry, int a0, int a1, int n) {
    int[][] pts = new int[n + 1][];
    for (int i = 0; i <= n; i++) {
      double a = Math.toRadians(a0 + (a1 - a0) * i / (double) n);
      pts[i] =
          new int[] {
            (int) Math.round(cx + rx * Math.cos(a)), (int) Math.round(cy + ry * Math.sin(a))
          };
    }
    return pts;
  }

  static List<int[][]> strokes(int[][]... s) {
    return List.of(s);
  }

  static int[][] concat(int[][] a, int[][] b) {
    int[][] out = java.util.Arrays.copyOf(a, a.length + b.length - 1);
    System.arraycopy(b, 1, out, a.length, b.length - 1);
    return out;
  }
}
