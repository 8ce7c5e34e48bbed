package org.tfmnist.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The drawing page's files, served from the jar (nothing from a CDN: it works offline). */
final class WebPage {

  private static final String ROOT = "/org/tfmnist/serve/web/";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  Response get(String path) {
    String name = path.equals("/") ? "index.html" : path.substring(1);
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
    if (type == null || !name.matches("[a-z0-9-]+\\.[a-z]+")) {
      throw ServeException.notFound("Not found: " + path);
    }
    byte[] body = cache.computeIfAbsent(name, WebPage::load);
    if (body.length == 0) {
      throw ServeException.notFound("Not found: " + path);
    }
    return new Response(200, type, body).withHeader("Cache-Control", "no-cache");
  }

  private static byte[] load(String name) {
    try (InputStream in = WebPage.class.getResourceAsStream(ROOT + name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
