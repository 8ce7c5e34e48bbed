package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one JSON writer: the exact bytes of the small one-line bodies (health, readiness, errors).
 */
@Timeout(30)
class JsonTest {

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void aSmallObjectIsOneLineInItsKeysOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "ready");
    m.put("models", 2);
    assertEquals("{\"status\": \"ready\", \"models\": 2}\n", text(Json.object(m)));
  }

  @Test
  void stringsAreEscaped() {
    assertEquals(
        "{\"error\": \"a \\\"quote\\\", a \\\\ and a\\nnewline\"}\n",
        text(Json.object(Map.of("error", "a \"quote\", a \\ and a\nnewline"))));
  }

  @Test
  void compactHasNoSpacesAndNonFiniteNumbersAreBare() {
    assertEquals(
        "{\"p\":[NaN,1.5]}",
        text(
            Json.compact(
                g -> {
                  g.writeStartObject();
                  g.writeArrayFieldStart("p");
                  g.writeNumber(Float.NaN);
                  g.writeNumber(1.5f);
                  g.writeEndArray();
                  g.writeEndObject();
                })));
  }

  @Test
  void prettyIsIndentedAsProtobufPrintsIt() {
    assertEquals(
        "{\n  \"a\": \"1\"\n}\n",
        text(
            Json.pretty(
                g -> {
                  g.writeStartObject();
                  g.writeStringField("a", "1");
                  g.writeEndObject();
                })));
  }

  @Test
  void prettyBodiesWrittenAtOnceAreEachIndented() throws Exception {
    // status and metadata answers are written on many request threads at once
    String expected = "{\n  \"a\": {\n    \"b\": \"1\"\n  }\n}\n";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> bodies = new ArrayList<>();
      for (int i = 0; i < 4000; i++) {
        bodies.add(
            pool.submit(
                () ->
                    text(
                        Json.pretty(
                            g -> {
                              g.writeStartObject();
                              g.writeObjectFieldStart("a");
                              g.writeStringField("b", "1");
                              g.writeEndObject();
                              g.writeEndObject();
                            }))));
      }
      for (Future<String> body : bodies) {
        assertEquals(expected, body.get(20, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
