package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Every {@code bin/tf-mnist} command that the README, CONTRIBUTING.md and docs/ show in a code
 * block parses as written: its command and options exist and their values convert. It does not run
 * them (that is what {@code make test}'s other steps do for the commands that need data and time),
 * so a renamed option or command fails here rather than in a user's terminal. Code fences must also
 * pair up, or everything after an open one renders as code.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DocCommandsTest {

  static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CONTRIBUTING.md")));
    try (Stream<Path> s = Files.list(Path.of("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  void everyCodeFenceIsClosed() throws IOException {
    for (Path doc : documents()) {
      long fences =
          Files.readAllLines(doc).stream().filter(l -> l.strip().startsWith("```")).count();
      assertEquals(0, fences % 2, doc + " has an unclosed ``` code block");
    }
  }

  @Test
  void everyShownCommandParses() throws IOException {
    List<String> bad = new ArrayList<>();
    int checked = 0;
    for (Path doc : documents()) {
      for (String command : commands(Files.readAllLines(doc))) {
        checked++;
        try {
          Main.commandLine().parseArgs(words(command).toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
          bad.add(doc + ": " + command + "\n    " + e.getMessage());
        }
      }
    }
    assertTrue(checked >= 30, "only " + checked + " commands found: is the extraction broken?");
    assertEquals(List.of(), bad);
  }

  @Test
  void aMisspelledOptionIsCaught() {
    List<String> found =
        commands(List.of("```", "$ bin/tf-mnist train --presett cnn  # a typo", "```"));
    assertEquals(List.of("train --presett cnn"), found);
    try {
      Main.commandLine().parseArgs(words(found.get(0)).toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      return;
    }
    throw new AssertionError("an unknown option parsed");
  }

  /**
   * The arguments of each {@code bin/tf-mnist} line inside code blocks, continuation lines joined
   * and the trailing comment dropped; lines built from shell substitutions are left out.
   */
  static List<String> commands(List<String> lines) {
    List<String> out = new ArrayList<>();
    boolean code = false;
    String pending = null;
    for (String raw : lines) {
      if (raw.strip().startsWith("```")) {
        code = !code;
        continue;
      }
      if (!code) {
        continue;
      }
      String line = pending == null ? raw.strip() : pending + " " + raw.strip();
      pending = null;
      if (line.endsWith("\\")) {
        pending = line.substring(0, line.length() - 1).strip();
        continue;
      }
      if (line.startsWith("$ ")) {
        line = line.substring(2);
      }
      if (!line.startsWith("bin/tf-mnist ") || line.contains("$(") || line.contains("|")) {
        continue;
      }
      int comment = line.indexOf(" #");
      if (comment > 0) {
        line = line.substring(0, comment);
      }
      out.add(line.substring("bin/tf-mnist ".length()).strip());
    }
    return out;
  }

  /** A shell's words: whitespace splits, quotes group, redirections end the command. */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    char quote = 0;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        w = w == null ? new StringBuilder() : w;
      } else if (Character.isWhitespace(c)) {
        if (w != null) {
          words.add(w.toString());
          w = null;
        }
      } else if (c == '>' || c == '<' || c == '&') {
        break;
      } else {
        w = w == null ? new StringBuilder() : w;
        w.append(c);
      }
    }
    if (w != null) {
      words.add(w.toString());
    }
    return words;
  }
}
