package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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
}
