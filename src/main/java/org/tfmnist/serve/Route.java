package org.tfmnist.serve;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TF Serving REST path, parsed: {@code GET /v1/models/{m}[/versions/{v}|/labels/{l}][/metadata]}
 * and {@code POST /v1/models/{m}[/versions/{v}|/labels/{l}]:{verb}}, matched case-insensitively as
 * TF Serving matches them. {@code version} is null for "the latest".
 */
record Route(String model, Long version, String label, String verb) {

  static final String STATUS = "status";
  static final String METADATA = "metadata";
  static final String PREDICT = "predict";
  static final String RECOGNIZE = "recognize";

  private static final String MODEL =
      "/v1/models/([^/:]+)(?:(?:/versions/(\\d{1,18}))|(?:/labels/([^/:]+)))?";
  private static final Pattern GET = Pattern.compile("(?i)" + MODEL + "(?:/(metadata))?");
  private static final Pattern POST =
      Pattern.compile("(?i)" + MODEL + ":(classify|regress|predict|recognize)");

  /** The route of {@code method path}, or null when it is not one of TF Serving's. */
  static Route parse(String method, String path) {
    Pattern p =
        switch (method) {
          case "GET", "HEAD" -> GET;
          case "POST" -> POST;
          default -> null;
        };
    if (p == null) {
      return null;
    }
    Matcher m = p.matcher(path);
    if (!m.matches()) {
      return null;
    }
    Long version = m.group(2) == null ? null : Long.parseLong(m.group(2));
    String verb = m.group(4) == null ? STATUS : m.group(4).toLowerCase(Locale.ROOT);
    return new Route(m.group(1), version, m.group(3), verb);
  }

  /** How TF Serving names the servable in its errors: Specific(cnn, 3) or Latest(cnn). */
  String servable() {
    return label != null && version == null
        ? "Label(" + model + ", " + label + ")"
        : servable(model, version);
  }

  /** Version {@code version} of {@code model} (null: the newest) in TF Serving's words. */
  static String servable(String model, Long version) {
    return version != null ? "Specific(" + model + ", " + version + ")" : "Latest(" + model + ")";
  }
}
