package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tfmnist.serve.ClaimSupport.metric;
import static org.tfmnist.serve.ClaimSupport.post;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.LabeledImages;

/**
 * The README's metrics: after known requests, the per-model {@code input_batch_size} histogram
 * holds each request's image count (the picture route's one image included, as every image enters
 * the batching queue), and the latency histograms carry {@code API="predict"} and {@code
 * API="recognize"} apart, each histogram with TF Serving's bucket bounds.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeMetricsTest {

  static final String PREFIX = ":tensorflow:serving:";
  static final String INPUT = PREFIX + "batching_session:input_batch_size";
  static final String PROCESSED = PREFIX + "batching_session:processed_batch_size";
  static final String POOL = "{thread_pool_name=\"mlp\"";

  @TempDir Path tmp;

  @Test
  void inputBatchSizesAndTheRecognizeApiAreReported() throws Exception {
    TestModels.copy(TestModels.mlp(), tmp.resolve("models/mlp/1"));
    LabeledImages test = TestData.test();
    try (ServerFixture f = new ServerFixture(ServerFixture.config(tmp.resolve("models")))) {
      // predict requests of 1, 3 and 5 images, one after the other (so each is its own batch)
      for (int n : new int[] {1, 3, 5}) {
        float[][] images = new float[n][];
        for (int i = 0; i < n; i++) {
          images[i] = test.imageAsFloats(i);
        }
        ServerFixture.Reply r = post(f, "/v1/models/mlp:predict", ServerFixture.instances(images));
        assertEquals(200, r.status(), r.body());
      }
      // two pictures, and one that is not a picture
      byte[] png = ClaimSupport.digitPng(test.imageAsFloats(0), 280);
      for (int k = 0; k < 2; k++) {
        ServerFixture.Reply r = post(f, "/v1/models/mlp:recognize", png, "image/png");
        assertEquals(200, r.status(), r.body());
      }
      ServerFixture.Reply bad = post(f, "/v1/models/mlp:recognize", new byte[] {1, 2}, "image/png");
      assertEquals(400, bad.status(), bad.body());

      String m = ClaimSupport.get(f, "/monitoring/prometheus/metrics").body();
      // inputs of 1, 3, 5, 1 and 1 images, in TF Serving's power-of-two buckets
      assertEquals(5, metric(m, INPUT + "_count" + POOL + "}"), 0.0, m);
      assertEquals(11, metric(m, INPUT + "_sum" + POOL + "}"), 0.0, m);
      assertEquals(3, metric(m, INPUT + "_bucket" + POOL + ",le=\"1\"}"), 0.0, m);
      assertEquals(3, metric(m, INPUT + "_bucket" + POOL + ",le=\"2\"}"), 0.0, m);
      assertEquals(4, metric(m, INPUT + "_bucket" + POOL + ",le=\"4\"}"), 0.0, m);
      assertEquals(5, metric(m, INPUT + "_bucket" + POOL + ",le=\"8\"}"), 0.0, m);
      assertEquals(5, metric(m, INPUT + "_bucket" + POOL + ",le=\"+Inf\"}"), 0.0, m);
      // every image that entered was processed
      assertEquals(11, metric(m, PROCESSED + "_sum" + POOL + "}"), 0.0, m);

      String model = "{model_name=\"mlp\",";
      assertEquals(
          3,
          metric(
              m, PREFIX + "request_latency_count" + model + "API=\"predict\",entrypoint=\"REST\"}"),
          0.0,
          m);
      assertEquals(
          3,
          metric(
              m,
              PREFIX + "request_latency_count" + model + "API=\"recognize\",entrypoint=\"REST\"}"),
          0.0,
          "the picture that failed counts too\n" + m);
      assertEquals(
          3,
          metric(m, PREFIX + "runtime_latency_count" + model + "API=\"predict\",runtime=\"TF1\"}"),
          0.0,
          m);
      assertEquals(
          2,
          metric(
              m, PREFIX + "runtime_latency_count" + model + "API=\"recognize\",runtime=\"TF1\"}"),
          0.0,
          "only the pictures that ran\n" + m);
      assertEquals(5, metric(m, PREFIX + "request_count" + model + "status=\"OK\"}"), 0.0, m);
      assertEquals(
          1, metric(m, PREFIX + "request_count" + model + "status=\"INVALID_ARGUMENT\"}"), 0.0, m);

      // TF Serving's bucket bounds, in order, each written so that it reads back as itself
      assertBounds(
          m,
          PREFIX + "request_latency_bucket" + model + "API=\"recognize\",entrypoint=\"REST\",",
          Metrics.LATENCY_BUCKETS);
      assertBounds(
          m,
          PREFIX + "batching_session:queuing_latency_bucket" + POOL + ",",
          Metrics.QUEUE_BUCKETS);
    }
  }

  private static void assertBounds(String text, String series, double[] bounds) {
    Matcher le =
        Pattern.compile("(?m)^" + Pattern.quote(series) + "le=\"([^\"]+)\"} \\d+$").matcher(text);
    List<String> seen = new ArrayList<>();
    while (le.find()) {
      seen.add(le.group(1));
    }
    assertEquals(bounds.length + 1, seen.size(), series + ": " + seen);
    for (int i = 0; i < bounds.length; i++) {
      double b = Double.parseDouble(seen.get(i));
      assertEquals(bounds[i], b, bounds[i] * 1e-5, series + " bucket " + i + ": " + seen);
    }
    assertEquals("+Inf", seen.get(bounds.length));
  }
}
