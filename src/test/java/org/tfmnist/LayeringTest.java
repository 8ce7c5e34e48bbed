package org.tfmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The layering stays one-way: each package's {@code package-info.java} says what it may import
 * ("May import: {@code data}, {@code util}..."), and no class of the package uses another of this
 * library's packages beyond that list (Javadoc links aside). The statement and the code cannot
 * drift apart: a new dependency needs the package's documentation changed with it.
 */
@Timeout(60)
class LayeringTest {

  private static final Path ROOT = Path.of("src/main/java/org/tfmnist");
  private static final Pattern USE =
      Pattern.compile("org\\.tfmnist\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");
  private static final Pattern CODE = Pattern.compile("\\{@code ([a-z]+(?:\\.[a-z]+)?)}");

  private static List<String> packages() throws IOException {
    try (Stream<Path> s = Files.walk(ROOT)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".java"))
          .map(p -> ROOT.relativize(p.getParent()).toString().replace('/', '.'))
          .distinct()
          .sorted()
          .toList();
    }
  }

  /** The packages {@code pkg}'s package-info allows; null for "every package". */
  private static Set<String> allowed(String pkg, List<String> all) throws IOException {
    Path info = ROOT.resolve(pkg.replace('.', '/')).resolve("package-info.java");
    assertTrue(Files.isRegularFile(info), pkg + " has no package-info.java");
    String text = Files.readString(info).replaceAll("\\n\\s*\\*\\s?", " ");
    int at = text.indexOf("May import:");
    assertTrue(at >= 0, pkg + "'s package-info says nothing of what it may import");
    int end = text.indexOf("<p>", at);
    String said = text.substring(at, end < 0 ? text.indexOf("package org.", at) : end);
    if (said.contains("every package")) {
      return null;
    }
    Set<String> out = new TreeSet<>();
    Matcher m = CODE.matcher(said);
    while (m.find()) {
      if (all.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static String withoutComments(String src) {
    return src.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
  }

  @Test
  void everyPackageUsesOnlyWhatItsPackageInfoAllows() throws IOException {
    List<String> all = packages();
    assertTrue(all.size() > 15, "packages: " + all);
    List<String> breaches = new ArrayList<>();
    for (String pkg : all) {
      Set<String> ok = allowed(pkg, all);
      if (ok == null) {
        continue;
      }
      try (Stream<Path> files = Files.list(ROOT.resolve(pkg.replace('.', '/')))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          Matcher m = USE.matcher(withoutComments(Files.readString(f)));
          Set<String> used = new TreeSet<>();
          while (m.find()) {
            String dep = m.group(1);
            if (!dep.equals(pkg) && all.contains(dep) && !ok.contains(dep)) {
              used.add(dep);
            }
          }
          if (!used.isEmpty()) {
            breaches.add(pkg + "/" + f.getFileName() + " uses " + used + ", allowed " + ok);
          }
        }
      }
    }
    assertEquals(List.of(), breaches);
  }
}
