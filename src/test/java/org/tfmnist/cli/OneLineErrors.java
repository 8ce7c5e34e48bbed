package org.tfmnist.cli;

import java.util.List;
import java.util.Optional;

/**
 * The CLI's rules for how a run ends, as one check: exit 0, 1 or 2 (70 is a bug); no stack trace or
 * exception's name on stderr; exit 1 with exactly one line there, {@code tf-mnist: error: ...};
 * exit 2 with picocli's one-line message first (its usage may follow).
 */
final class OneLineErrors {

  private OneLineErrors() {}

  /** What breaks the rules in {@code r}, or empty. */
  static Optional<String> problem(CliTest.Run r) {
    String err = r.err();
    if (r.code() != 0 && r.code() != 1 && r.code() != 2) {
      return Optional.of("exit " + r.code() + ": " + firstLines(err));
    }
    if (err.contains("\tat ")
        || err.contains("Exception")
        || err.contains("internal error")
        || err.contains("java.lang.")) {
      return Optional.of("a trace or exception on stderr: " + firstLines(err));
    }
    List<String> lines = err.strip().lines().toList();
    if (r.code() == 1) {
      if (lines.size() != 1
          || !(lines.get(0).startsWith("tf-mnist: error: ")
              || lines.get(0).matches("\\d+ predicted, \\d+ failed, .*"))) {
        return Optional.of("exit 1 without one error line: " + firstLines(err));
      }
    }
    if (r.code() == 2 && (lines.isEmpty() || lines.get(0).startsWith("tf-mnist: internal"))) {
      return Optional.of("exit 2 without a usage message: " + firstLines(err));
    }
    return Optional.empty();
  }

  private static String firstLines(String s) {
    return String.join(" | ", s.strip().lines().limit(3).toList());
  }
}
