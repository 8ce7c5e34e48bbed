package org.tfmnist.serve;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers: status, content type, body and extra headers. */
record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

  static final String JSON = "application/json";

  Response(int status, String contentType, byte[] body) {
    this(status, contentType, body, Map.of());
  }

  static Response json(int status, byte[] body) {
    return new Response(status, JSON, body);
  }

  /** A small JSON object of strings and numbers, as {@code {"status": "ok"}}, keys in order. */
  static Response json(int status, Map<String, ?> object) {
    StringBuilder sb = new StringBuilder("{");
    object.forEach(
        (k, v) -> {
          sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": ");
          if (v instanceof Number) {
            sb.append(v);
          } else {
            sb.append('"')
                .append(JsonStringEncoder.getInstance().quoteAsString(v.toString()))
                .append('"');
          }
        });
    return json(status, sb.append("}\n").toString().getBytes(StandardCharsets.UTF_8));
  }

  static Response empty(int status) {
    return new Response(status, null, new byte[0]);
  }

  /** {@code {"error": "..."}} with the error's status, as TF Serving answers. */
  static Response error(HttpError e) {
    return json(e.status(), Map.of("error", e.getMessage()));
  }

  Response withHeader(String name, String value) {
    Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.put(name, value);
    return new Response(status, contentType, body, h);
  }
}
