package org.tfmnist.serve;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path of KServe's Open Inference Protocol (v2), parsed: {@code GET /v2}, {@code GET
 * /v2/health/live|ready}, {@code GET /v2/models/{m}[/versions/{v}][/ready]} and {@code POST
 * /v2/models/{m}[/versions/{v}]/infer}. The protocol's paths are case-sensitive, as Triton's are.
 * {@code version} is null for "the latest"; the protocol's versions are strings, and this server's
 * are numbers, so another string names no version (a 404, not a malformed path).
 */
record V2Route(Kind kind, String model, String version) {

  enum Kind {
    SERVER_METADATA,
    LIVE,
    READY,
    MODEL_METADATA,
    MODEL_READY,
    INFER
  }

  private static final Pattern MODEL =
      Pattern.compile("/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?");

  /** The route of {@code method path}, or null when the path is none of the protocol's. */
  static V2Route parse(String path) {
    switch (path) {
      case "/v2", "/v2/" -> {
        return new V2Route(Kind.SERVER_METADATA, null, null);
      }
      case "/v2/health/live" -> {
        return new V2Route(Kind.LIVE, null, null);
      }
      case "/v2/health/ready" -> {
        return new V2Route(Kind.READY, null, null);
      }
      default -> {
        Matcher m = MODEL.matcher(path);
        if (!m.matches()) {
          return null;
        }
        Kind kind =
            m.group(3) == null
                ? Kind.MODEL_METADATA
                : m.group(3).equals("/ready") ? Kind.MODEL_READY : Kind.INFER;
        return new V2Route(kind, m.group(1), m.group(2));
      }
    }
  }

  /** The method the route takes: POST for inference, GET (or HEAD) for the rest. */
  boolean allows(String method) {
    return kind == Kind.INFER
        ? method.equals("POST")
        : method.equals("GET") || method.equals("HEAD");
  }

  /**
   * The numeric version asked for, null for the latest; a version this server cannot have (not a
   * number) is not found.
   */
  Long numericVersion() {
    if (version == null) {
      return null;
    }
    if (!version.matches("\\d{1,18}")) {
      throw ServeException.notFound(
          "Request for unknown model: '" + model + "' version " + version + " is not found");
    }
    return Long.parseLong(version);
  }
}
