package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.data.BadInputException;

/**
 * {@code --access-log}: a whole JSON line a request with what the request was and who answered it,
 * and the {@code X-Request-Id} every response carries, kept from the client when it is sane.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AccessLogTest {

  @TempDir Path tmp;

  @Test
  void aLineARequestWithTheModelTheIdAndTheBytes() throws Exception {
    Path models = tmp.resolve("models");
    TestModels.copy(TestModels.mlp(), models.resolve("mlp/1"));
    Path file = tmp.resolve("access.jsonl");
    String predict =
        ServerFixture.instances(new float[][] {TestData.test().imageAsFloats(0), new float[784]});
    String sentId;
    String generatedId;
    String insaneReplacedBy;
    List<Future<ServerFixture.Reply>> many = new ArrayList<>();
    try (ServerFixture f =
        new ServerFixture(ServerFixture.config(models), AccessLog.open(file.toString()))) {
      ServerFixture.Reply ok =
          f.send(
              f.request("/v1/models/mlp:predict")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(predict))
                  .header("X-Request-Id", "client-id-42")
                  .build());
      assertEquals(200, ok.status(), ok.body());
      sentId = ok.raw().headers().firstValue("X-Request-Id").orElse(null);
      ServerFixture.Reply missing = f.get("/v1/models/nope");
      assertEquals(404, missing.status());
      generatedId = missing.raw().headers().firstValue("X-Request-Id").orElse(null);
      ServerFixture.Reply page =
          f.send(f.request("/").header("X-Request-Id", "bad id with spaces").GET().build());
      insaneReplacedBy = page.raw().headers().firstValue("X-Request-Id").orElse(null);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < 40; i++) {
        many.add(pool.submit(() -> f.post("/v1/models/mlp:predict", predict)));
      }
      for (Future<ServerFixture.Reply> r : many) {
        assertEquals(200, r.get(60, TimeUnit.SECONDS).status());
      }
      pool.shutdown();
    }
    assertEquals("client-id-42", sentId, "a sane client id is kept and echoed");
    assertTrue(generatedId.matches("[0-9a-f-]{36}"), generatedId);
    assertNotEquals("bad id with spaces", insaneReplacedBy);
    assertTrue(insaneReplacedBy.matches("[0-9a-f-]{36}"), insaneReplacedBy);

    List<String> lines = Files.readAllLines(file);
    assertEquals(3 + 40, lines.size(), "a line a request, none torn: " + lines);
    List<Map<String, Object>> all = new ArrayList<>();
    for (String l : lines) {
      all.add(JSON.std.mapFrom(l));
    }
    Map<String, Object> first = all.get(0);
    assertEquals("client-id-42", first.get("id"));
    assertEquals("POST", first.get("method"));
    assertEquals("/v1/models/mlp:predict", first.get("path"));
    assertEquals(200, first.get("status"));
    assertEquals("mlp", first.get("model"));
    assertEquals(1, first.get("version"));
    assertEquals(2, first.get("images"));
    assertEquals(predict.length(), ((Number) first.get("bytes_in")).intValue());
    assertTrue(((Number) first.get("bytes_out")).intValue() > 100);
    assertTrue(((Number) first.get("latency_ms")).doubleValue() > 0);
    assertTrue(((String) first.get("client")).startsWith("127.0.0.1:"), first.toString());
    assertTrue(((String) first.get("time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), first.toString());
    Map<String, Object> notFound = all.get(1);
    assertEquals(404, notFound.get("status"));
    assertEquals(generatedId, notFound.get("id"));
    assertFalse(notFound.containsKey("model"), "no model answered it");
    assertEquals(insaneReplacedBy, all.get(2).get("id"));
    assertNull(all.get(2).get("images"));
    for (Map<String, Object> m : all.subList(3, all.size())) {
      assertEquals(200, m.get("status"));
      assertEquals(2, m.get("images"));
    }
  }

  @Test
  void aFileThatCannotBeOpenedIsBadInputNamingIt() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("a-directory"));
    BadInputException e =
        assertThrows(BadInputException.class, () -> AccessLog.open(dir.toString()));
    assertTrue(
        e.getMessage().startsWith("--access-log " + dir + ": cannot open it"), e.getMessage());
    BadInputException missing =
        assertThrows(
            BadInputException.class,
            () -> AccessLog.open(tmp.resolve("no/such/dir/log").toString()));
    assertTrue(missing.getMessage().contains("no such file or directory"), missing.getMessage());
  }
}
