package org.tfmnist.serve;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A complete HTTP request as the routes see it: read whole before any route runs, so the routes
 * know nothing of the HTTP stack (and are tested without a socket).
 *
 * @param method GET, POST, ...
 * @param path the decoded path, e.g. {@code /v1/models/mlp:predict}
 * @param query the raw query string, or null
 * @param headers name to values; build it with {@link #headerMap} so names match in any case
 * @param body the request body as sent (empty when there is none)
 */
record Request(
    String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

  /** An empty header map whose names match case-insensitively, as HTTP's do. */
  static Map<String, List<String>> headerMap() {
    return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  }

  /** The first value of header {@code name}, or null. */
  String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** {@code METHOD path?query}, for log lines. */
  String line() {
    return method + " " + path + (query == null ? "" : "?" + query);
  }
}
