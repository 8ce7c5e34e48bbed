package org.tfmnist.data;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Plain HTTP(S) GET with the JDK client, for the sources that download: one shared client that
 * follows redirects and honours $https_proxy / $http_proxy, a non-200 answer as an IOException, and
 * a log line with each download's size and time.
 */
final class Http {
  private static HttpClient client;

  private Http() {}

  private static synchronized HttpClient client() {
    if (client == null) {
      HttpClient.Builder b =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(15))
              .followRedirects(HttpClient.Redirect.NORMAL);
      proxy().ifPresent(b::proxy);
      client = b.build();
    }
    return client;
  }

  private static Optional<ProxySelector> proxy() {
    for (String var : List.of("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY")) {
      String v = System.getenv(var);
      if (v != null && !v.isBlank()) {
        try {
          URI u = URI.create(v.contains("://") ? v : "http://" + v);
          if (u.getHost() != null) {
            int port = u.getPort() > 0 ? u.getPort() : 80;
            return Optional.of(ProxySelector.of(new InetSocketAddress(u.getHost(), port)));
          }
        } catch (IllegalArgumentException ignored) {
          // a malformed proxy variable: go direct
        }
      }
    }
    return Optional.empty();
  }

  static byte[] get(String url, Consumer<String> log) throws IOException {
    long t0 = System.nanoTime();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
    HttpResponse<byte[]> resp;
    try {
      resp = client().send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (IllegalArgumentException e) {
      throw new IOException("bad URL: " + e.getMessage());
    }
    if (resp.statusCode() != 200) {
      throw new IOException("HTTP " + resp.statusCode());
    }
    byte[] body = resp.body();
    log.accept(
        String.format(
            Locale.ROOT,
            "Downloaded %s (%.1f MB in %.1f s)",
            url,
            body.length / 1e6,
            (System.nanoTime() - t0) / 1e9));
    return body;
  }
}
