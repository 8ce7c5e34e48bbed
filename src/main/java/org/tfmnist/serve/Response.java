package org.tfmnist.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: status, content type, body and extra headers, and, when a model answered
 * it, which and for how many images ({@code served}, for the access log; null otherwise).
 */
record Response(
    int status, String contentType, byte[] body, Map<String, String> headers, Served served) {

  static final String JSON = "application/json";

  /** The model version that answered a request, and the images it ran. */
  record Served(String model, long version, int images) {}

  Response(int status, String contentType, byte[] body) {
    this(status, contentType, body, Map.of(), null);
  }

  static Response json(int status, byte[] body) {
    return new Response(status, JSON, body);
  }

  /** A small JSON object of strings and numbers, as {@code {"status": "ok"}}, keys in order. */
  static Response json(int status, Map<String, ?> object) {
    return json(status, Json.object(object));
  }

  static Response empty(int status) {
    return new Response(status, null, new byte[0]);
  }

  /** {@code {"error": "..."}} with the status {@link HttpStatus} gives the error's reason. */
  static Response error(ServeException e) {
    return error(HttpStatus.of(e.reason()), e.getMessage());
  }

  /** {@code {"error": message}} with {@code status}, as TF Serving answers. */
  static Response error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  Response withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Response(status, contentType, body, h, served);
  }

  /** This response as the answer of {@code images} images by version {@code version}. */
  Response withServed(String model, long version, int images) {
    return new Response(status, contentType, body, headers, new Served(model, version, images));
  }

  /** The request id this response carries (see {@link RequestIds}), or null. */
  String requestId() {
    return headers.get(RequestIds.HEADER);
  }
}
