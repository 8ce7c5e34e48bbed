package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --access-log} to a file that cannot be opened: one line, exit 1, no server. */
@Timeout(60)
class ServeAccessLogCliTest {

  @Test
  void anUnwritableLogIsBadInputBeforeAnyModelLoads(@TempDir Path tmp) throws IOException {
    Path models = Files.createDirectories(tmp.resolve("models"));
    Path log = tmp.resolve("no-such-dir/access.jsonl");
    CliTest.Run r =
        CliTest.cli(
            "serve", "--models", models.toString(), "--port", "0", "--access-log", log.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals(
        "tf-mnist: error: --access-log "
            + log
            + ": cannot open it for appending: no such file or directory\n",
        r.err());
    assertFalse(r.out().contains("loading the models"), r.out());
  }
}
