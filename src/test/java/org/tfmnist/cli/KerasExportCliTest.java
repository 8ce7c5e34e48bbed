package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.KerasExports;
import org.tfmnist.TestData;

/**
 * {@code evaluate} and {@code predict} on Keras 3 {@code model.export()} SavedModels: with {@code
 * serve} and {@code serving_default}, with {@code serve} alone, and with an endpoint of the user's
 * own name. The three hold the same weights, so every figure must agree; a model with several
 * signatures and no default is one line naming them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KerasExportCliTest {

  @TempDir Path tmp;

  @org.junit.jupiter.api.BeforeAll
  static void made() {
    org.tfmnist.KerasExports.assumeMade();
  }

  private static CliTest.Run evaluate(Path model, String... more) {
    String[] base = {
      "evaluate",
      "--model",
      model.toString(),
      "--test-limit",
      "300",
      "--data-dir",
      TestData.dataRoot().toString()
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliTest.cli(args);
  }

  private static CliTest.Run predict(Path model) {
    return CliTest.cli(
        "predict",
        "--model",
        model.toString(),
        "--index",
        "0-7",
        "--format",
        "json",
        TestData.mnistDir().resolve("t10k-images-idx3-ubyte").toString());
  }

  @Test
  void evaluateRunsTheServeSignatureWhenItIsTheOnlyOne() {
    CliTest.Run both = evaluate(KerasExports.fixture("both"), "--format", "json");
    assertEquals(0, both.code(), both.err());
    assertTrue(both.out().contains("\"count\" : 300"), both.out());
    for (String other : new String[] {"serve-only", "custom"}) {
      CliTest.Run r = evaluate(KerasExports.fixture(other), "--format", "json");
      assertEquals(0, r.code(), other + ": " + r.err());
      // the same figures; only the model's path differs
      assertEquals(
          both.out().replace(KerasExports.fixture("both").toString(), "M"),
          r.out().replace(KerasExports.fixture(other).toString(), "M"),
          other);
    }
    CliTest.Run text = evaluate(KerasExports.fixture("serve-only"));
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("(signature serve: keras_tensor -> output_0)"), text.out());
  }

  @Test
  void predictRunsTheServeSignatureWhenItIsTheOnlyOne() {
    CliTest.Run both = predict(KerasExports.fixture("both"));
    assertEquals(0, both.code(), both.err());
    assertTrue(both.out().contains("\"top3\""), both.out());
    assertEquals(8, both.out().split("\"label\"", -1).length - 1, both.out());
    for (String other : new String[] {"serve-only", "custom"}) {
      CliTest.Run r = predict(KerasExports.fixture(other));
      assertEquals(0, r.code(), other + ": " + r.err());
      assertEquals(both.out(), r.out(), other);
    }
  }

  @Test
  void severalSignaturesWithoutADefaultAreOneLineNamingThem() {
    Path two =
        KerasExports.edited(
            "serve-only", tmp.resolve("two"), KerasExports.addPixelsSignature("pixels", "serve"));
    for (CliTest.Run r : new CliTest.Run[] {evaluate(two), predict(two)}) {
      assertEquals(1, r.code(), r.err());
      String err = r.err().strip();
      assertFalse(err.contains("\n"), err);
      assertEquals(
          "tf-mnist: error: "
              + two
              + ": Serving signature name: \"serving_default\" not found in signature def, and no"
              + " single other signature to serve instead (it has: pixels, serve)",
          err);
    }
  }
}
