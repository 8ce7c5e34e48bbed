package org.tfmnist.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tfmnist.TestData;

/**
 * The command line of a tiny {@code tf-mnist train} run in a test's directory (the MLP on the first
 * 1,000 training images, validated and tested on the first 500 test images, seed 3, plain epoch
 * lines), with any of its flags overridden: picocli refuses an option given twice, so an override
 * replaces the default rather than adding to it. Also reads what such a run leaves.
 */
final class TrainArgs {

  private TrainArgs() {}

  static String[] of(Path dir, String... overrides) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("--preset", "mlp");
    a.put("--train-limit", "1000");
    a.put("--test-limit", "500");
    a.put("--seed", "3");
    a.put("--progress", "lines");
    a.put("--data-dir", TestData.dataRoot().toString());
    a.put("--models-dir", dir.resolve("models").toString());
    a.put("--checkpoint-dir", dir.resolve("ck").toString());
    for (int i = 0; i < overrides.length; i++) {
      boolean hasValue = i + 1 < overrides.length && !overrides[i + 1].startsWith("--");
      a.put(overrides[i], hasValue ? overrides[++i] : null);
    }
    List<String> out = new ArrayList<>(List.of("train"));
    a.forEach(
        (k, v) -> {
          out.add(k);
          if (v != null) {
            out.add(v);
          }
        });
    return out.toArray(String[]::new);
  }

  /** A CSV log's rows under its header's names, in file order. */
  static List<Map<String, String>> csv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    String[] header = lines.get(0).split(",");
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], i < f.length ? f[i] : null);
      }
      rows.add(row);
    }
    return rows;
  }

  /** One column of a CSV log as numbers. */
  static List<Double> column(List<Map<String, String>> rows, String name) {
    return rows.stream().map(r -> Double.parseDouble(r.get(name))).toList();
  }

  /** Every regular file under {@code dir} with its bytes, as a comparable listing. */
  static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(
            dir.relativize(p).toString(),
            java.util.HexFormat.of().formatHex(sha256(Files.readAllBytes(p))));
      }
    }
    return out;
  }

  private static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The names in {@code dir} (none if it does not exist), sorted. */
  static List<String> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
