package org.tfmnist.serve;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the {@link Request} the HTTP layer hands the routes, for tests without a socket. */
final class FakeRequest {

  private FakeRequest() {}

  /** {@code target} is a path with an optional query; {@code headers} are name, value pairs. */
  static Request of(String method, String target, byte[] body, String... headers) {
    Map<String, List<String>> h = Request.headerMap();
    for (int i = 0; i < headers.length; i += 2) {
      h.computeIfAbsent(headers[i], k -> new ArrayList<>()).add(headers[i + 1]);
    }
    URI uri = URI.create(target);
    return new Request(method, uri.getPath(), uri.getRawQuery(), h, body);
  }

  static Request of(String method, String target) {
    return of(method, target, new byte[0]);
  }
}
