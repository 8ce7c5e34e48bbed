package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestModels;

/**
 * {@code tf-mnist serve}'s options are checked before anything starts, and its port is taken before
 * any model is loaded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeCommandTest {

  @TempDir Path tmp;

  @Test
  void badFiguresAreUsageErrors() {
    String[][] bad = {
      {"--port", "70000"},
      {"--port", "-1"},
      {"--max-batch-size", "0"},
      {"--batch-timeout-micros", "-5"},
      {"--max-enqueued-batches", "0"},
      {"--num-batch-threads", "0"},
      {"--num-versions", "0"},
      {"--poll-seconds", "-1"},
      {"--request-timeout", "0"},
      {"--grace-period", "-2"},
      {"--http-threads", "0"},
      {"--idle-timeout", "0"},
      {"--max-connections", "0"},
      {"--intra-op-threads", "-1"},
      {"--max-body-size", "12Q"},
      {"--max-body-size", "0"},
      {"--port", "eighty"},
    };
    for (String[] b : bad) {
      CliTest.Run r = CliTest.cli("serve", "--models", tmp.toString(), b[0], b[1]);
      assertEquals(2, r.code(), String.join(" ", b) + ": " + r.err());
      assertTrue(r.err().contains(b[0]), r.err());
    }
  }

  @Test
  void aMissingModelsDirectoryIsOneLine() {
    CliTest.Run r = CliTest.cli("serve", "--models", tmp.resolve("nope").toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(
        r.err().startsWith("tf-mnist: error: " + tmp.resolve("nope") + ": no such directory"),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  /** A port already taken fails at once, in one line, before any model is loaded. */
  @Test
  void aTakenPortFailsBeforeAnyModelIsLoaded() throws Exception {
    TestModels.copy(TestModels.mlp(), tmp.resolve("models/mlp/1"));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      CliTest.Run r =
          CliTest.cli("serve", "--models", tmp.resolve("models").toString(), "--port", "" + port);
      assertEquals(1, r.code(), r.out() + r.err());
      assertEquals(
          "tf-mnist: error: 127.0.0.1:"
              + port
              + ": cannot listen: Address already in use (another server on this port? choose"
              + " one with --port)",
          r.err().strip());
      assertFalse(r.out().contains("AVAILABLE"), "a model was loaded first: " + r.out());
    }
  }

  @Test
  void helpListsTheRoutes() {
    CliTest.Run r = CliTest.cli("serve", "--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().contains(":predict")
            && r.out().contains(":recognize")
            && r.out().contains("/readyz")
            && r.out().contains("--idle-timeout")
            && r.out().contains("--max-connections"),
        r.out());
    assertFalse(r.out().contains("seed 0"), r.out());
  }
}
