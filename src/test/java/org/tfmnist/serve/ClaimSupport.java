package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tfmnist.util.Png;

/**
 * What the tests of the README's serving claims share: requests that give up after {@link #TIMEOUT}
 * (a hung server fails a test instead of hanging the build), polling with a deadline, the version
 * states of the status route and single values of the metrics route.
 */
final class ClaimSupport {

  /** Every request made here gives up after this long. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private ClaimSupport() {}

  static ServerFixture.Reply get(ServerFixture f, String path) {
    return f.send(HttpRequest.newBuilder(f.uri(path)).timeout(TIMEOUT).GET().build());
  }

  static ServerFixture.Reply post(ServerFixture f, String path, String json) {
    return f.send(request(f, path, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), null));
  }

  static ServerFixture.Reply post(ServerFixture f, String path, byte[] body, String type) {
    return f.send(request(f, path, body, type));
  }

  /** A request answered later, for requests that must stay in flight while the test acts. */
  static CompletableFuture<HttpResponse<String>> postAsync(
      ServerFixture f, String path, String json, Duration timeout) {
    HttpRequest r =
        HttpRequest.newBuilder(f.uri(path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return f.http.sendAsync(r, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(ServerFixture f, String path, byte[] body, String type) {
    return HttpRequest.newBuilder(f.uri(path))
        .timeout(TIMEOUT)
        .header("Content-Type", type == null ? "application/json" : type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** Polls {@code condition} every 20 ms for up to a minute; fails with {@code context} then. */
  static void waitFor(String what, BooleanSupplier condition, Supplier<String> context)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertTrue(
          System.nanoTime() < deadline, "timed out waiting for " + what + "\n" + context.get());
      Thread.sleep(20);
    }
  }

  /** Version → state, from TF Serving's status route. */
  static Map<String, String> states(ServerFixture f, String model) {
    Map<String, String> out = new HashMap<>();
    ServerFixture.Reply r = get(f, "/v1/models/" + model);
    for (Object o : (List<?>) r.json().get("model_version_status")) {
      Map<?, ?> v = (Map<?, ?>) o;
      out.put((String) v.get("version"), (String) v.get("state"));
    }
    return out;
  }

  /** Probabilities of the row form's {@code i}-th prediction. */
  static float[] probabilities(ServerFixture.Reply r, int i) {
    Map<?, ?> p = (Map<?, ?>) ((List<?>) r.json().get("predictions")).get(i);
    return floats((List<?>) p.get("probabilities"));
  }

  static float[] probabilities(String body, int i) {
    try {
      Map<?, ?> p = (Map<?, ?>) ((List<?>) JSON.std.mapFrom(body).get("predictions")).get(i);
      return floats((List<?>) p.get("probabilities"));
    } catch (IOException e) {
      throw new UncheckedIOException(body, e);
    }
  }

  static float[] floats(List<?> l) {
    float[] out = new float[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) l.get(i)).floatValue();
    }
    return out;
  }

  /**
   * The value of one series of the metrics text, e.g. {@code
   * :tensorflow:serving:request_count{model_name="mlp",status="OK"}}; 0 when it is absent, as
   * Prometheus reads a series never written.
   */
  static double metric(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * An MNIST image (white on black, values in [0, 1]) enlarged to a {@code side} x {@code side}
   * grey PNG, nearest neighbour: a picture of a known digit at any size.
   */
  static byte[] digitPng(float[] image, int side) {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < side; y++) {
      int row = (int) ((long) y * 28 / side) * 28;
      for (int x = 0; x < side; x++) {
        px[y * side + x] = (byte) Math.round(255 * image[row + (int) ((long) x * 28 / side)]);
      }
    }
    return Png.encode(img);
  }

  /** {@code n} blank images in the row form, written compactly (a large request stays small). */
  static String blankInstances(int n) {
    String row = "[" + "0,".repeat(27) + "0]";
    String image = "[" + (row + ",").repeat(27) + row + "]";
    return "{\"instances\":[" + (image + ",").repeat(n - 1) + image + "]}";
  }
}
