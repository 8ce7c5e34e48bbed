package org.tfmnist.predict;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints predictions as a table (default), JSON (one array, a record per input) or CSV. */
public final class PredictionWriter {

  public enum Format {
    TABLE,
    JSON,
    CSV;

    public static Format parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
  }

  private PredictionWriter() {}

  public static void write(List<Prediction> ps, Format f, PrintStream out) throws IOException {
    switch (f) {
      case TABLE -> table(ps, out);
      case JSON ->
          out.println(
              JSON.std
                  .with(JSON.Feature.PRETTY_PRINT_OUTPUT)
                  .asString(ps.stream().map(PredictionWriter::record).toList()));
      case CSV -> csv(ps, out);
    }
  }

  static Map<String, Object> record(Prediction p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", p.name());
    if (p.ok()) {
      m.put("digit", p.digit());
      m.put("probability", round(p.probability()));
      List<Map<String, Object>> top = new ArrayList<>();
      for (int i = 0; i < p.top().length; i++) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("digit", p.top()[i]);
        t.put("probability", round(p.topP()[i]));
        top.add(t);
      }
      m.put("top3", top);
      if (p.label() >= 0) {
        m.put("label", p.label());
      }
    } else {
      m.put("error", p.error());
    }
    return m;
  }

  private static double round(float v) {
    return Math.round(v * 1e6) / 1e6;
  }

  private static void table(List<Prediction> ps, PrintStream out) {
    int w = Math.max(4, ps.stream().mapToInt(p -> p.name().length()).max().orElse(4));
    boolean labels = ps.stream().anyMatch(p -> p.label() >= 0);
    out.printf(
        Locale.ROOT,
        "%-" + w + "s  digit  probability  top 3%s%n",
        "file",
        labels ? "                      label" : "");
    for (Prediction p : ps) {
      if (!p.ok()) {
        out.printf(Locale.ROOT, "%-" + w + "s  error: %s%n", p.name(), p.error());
        continue;
      }
      StringBuilder top = new StringBuilder();
      for (int i = 0; i < p.top().length; i++) {
        top.append(i == 0 ? "" : ", ")
            .append(String.format(Locale.ROOT, "%d %.3f", p.top()[i], p.topP()[i]));
      }
      String line =
          String.format(
              Locale.ROOT,
              "%-" + w + "s  %5d  %11.4f  %-26s%s",
              p.name(),
              p.digit(),
              p.probability(),
              top,
              labels
                  ? (p.label() >= 0 ? p.label() + (p.label() == p.digit() ? "" : "  (wrong)") : "")
                  : "");
      out.println(line.stripTrailing());
    }
  }

  private static void csv(List<Prediction> ps, PrintStream out) {
    out.println("file,digit,probability,top2,top2_probability,top3,top3_probability,label,error");
    for (Prediction p : ps) {
      StringBuilder sb = new StringBuilder(quote(p.name()));
      if (p.ok()) {
        sb.append(',')
            .append(p.digit())
            .append(',')
            .append(String.format(Locale.ROOT, "%.6f", p.probability()));
        for (int i = 1; i < 3; i++) {
          if (i < p.top().length) {
            sb.append(',')
                .append(p.top()[i])
                .append(',')
                .append(String.format(Locale.ROOT, "%.6f", p.topP()[i]));
          } else {
            sb.append(",,");
          }
        }
        sb.append(',').append(p.label() >= 0 ? Integer.toString(p.label()) : "").append(',');
      } else {
        sb.append(",,,,,,,,").append(quote(p.error()));
      }
      out.println(sb);
    }
  }

  private static String quote(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
