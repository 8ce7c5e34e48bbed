package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's exit-code paragraph and {@code tf-mnist --help} list the same codes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExitCodesDocTest {

  @Test
  void theReadmeListsEveryCodeHelpLists() throws IOException {
    Set<String> help =
        new TreeSet<>(Main.commandLine().getCommandSpec().usageMessage().exitCodeList().keySet());
    assertTrue(help.containsAll(Set.of("0", "1", "2", "70")), help.toString());
    String usage = CliTest.cli("--help").out();
    for (String code : help) {
      assertTrue(usage.matches("(?s).*\\n\\s*" + code + "\\s+\\S.*"), code + " in:\n" + usage);
    }

    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("Exit codes, as `tf-mnist --help` lists them:");
    assertTrue(start >= 0, "the README's exit-code paragraph");
    String paragraph = readme.substring(start, readme.indexOf("\n\n", start));
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("\\*\\*(\\d+)\\*\\* (\\S+)").matcher(paragraph);
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertEquals(help, documented, paragraph);
    // and each says when it occurs, not only its name
    for (String when : new String[] {"bad input", "bad usage", "a bug"}) {
      assertTrue(paragraph.contains(when), when);
    }
  }
}
