package org.tfmnist.serve;

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

  static Response json(int status, String body) {
    return json(status, body.getBytes(StandardCharsets.UTF_8));
  }

  static Response empty(int status) {
    return new Response(status, null, new byte[0]);
  }

  /** {@code {"error": "..."}} with the error's status, as TF Serving answers. */
  static Response error(HttpError e) {
    return json(e.status(), "{\"error\": \"" + ModelServer.jsonText(e.getMessage()) + "\"}\n");
  }

  Response withHeader(String name, String value) {
    Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.put(name, value);
    return new Response(status, contentType, body, h);
  }
}
