package org.tfmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The README's "Use it as a library" says what {@code make example} builds: the coordinates are
 * those of pom.xml, and the dependency block a user copies is the one examples/pom.xml holds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LibraryDocTest {

  @Test
  void theReadmesDependencyBlockIsTheExamplesAndNamesThisBuild() throws Exception {
    Element pom = parse(Files.readString(Path.of("pom.xml")));
    Element examples = parse(Files.readString(Path.of("examples/pom.xml")));
    String section = section(Files.readString(Path.of("README.md")), "## Use it as a library");

    String coordinates =
        child(pom, "groupId") + ":" + child(pom, "artifactId") + ":" + child(pom, "version");
    assertTrue(section.contains("`" + coordinates + "`"), coordinates + " in:\n" + section);

    int start = section.indexOf("```xml\n");
    assertTrue(start >= 0, "the README's dependency block");
    String block = section.substring(start + 7, section.indexOf("```", start + 7));
    List<String> readme = dependencies(parse("<dependencies>" + block + "</dependencies>"));
    String platform =
        child((Element) examples.getElementsByTagName("properties").item(0), "tensorflow.platform");
    List<String> example = new ArrayList<>();
    for (String d : dependencies((Element) examples.getElementsByTagName("dependencies").item(0))) {
      example.add(d.replace("${tensorflow.platform}", platform));
    }
    assertEquals(example, readme);

    String tensorflow =
        child((Element) pom.getElementsByTagName("properties").item(0), "tensorflow.version");
    assertEquals(
        List.of(
            coordinates + " excluding org.tensorflow:tensorflow-core-platform",
            "org.tensorflow:tensorflow-core-api:" + tensorflow,
            "org.tensorflow:tensorflow-core-native:" + tensorflow + ":linux-x86_64"),
        readme);
  }

  /**
   * The README's Java block compiles against the library as written: the public API it shows exists
   * with those names and types (what the block does at run time, {@code make example} runs).
   */
  @Test
  void theReadmesJavaBlockCompilesAgainstTheLibrary(@TempDir Path tmp) throws Exception {
    String section = section(Files.readString(Path.of("README.md")), "## Use it as a library");
    int start = section.indexOf("```java\n");
    assertTrue(start >= 0, "the README's Java block");
    String block = section.substring(start + 8, section.indexOf("```", start + 8));
    String source =
        "import java.nio.file.Path;\n"
            + "import java.util.List;\n"
            + "import org.tfmnist.data.*;\n"
            + "import org.tfmnist.metrics.*;\n"
            + "import org.tfmnist.nn.*;\n"
            + "import org.tfmnist.optim.*;\n"
            + "import org.tfmnist.train.*;\n"
            + "import org.tfmnist.train.callbacks.*;\n"
            + "class ReadmeBlock {\n  static void run() throws Exception {\n"
            + block
            + "\n  }\n}\n";
    Path file = tmp.resolve("ReadmeBlock.java");
    Files.writeString(file, source);
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            errors,
            errors,
            "-proc:none",
            "-d",
            tmp.toString(),
            "-classpath",
            System.getProperty("java.class.path"),
            file.toString());
    assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8) + "\n" + source);
  }

  /** Each direct dependency as "group:artifact:version[:classifier][ excluding group:artifact]". */
  private static List<String> dependencies(Element parent) {
    List<String> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element d && d.getTagName().equals("dependency")) {
        StringBuilder s =
            new StringBuilder(
                child(d, "groupId") + ":" + child(d, "artifactId") + ":" + child(d, "version"));
        if (!child(d, "classifier").isEmpty()) {
          s.append(':').append(child(d, "classifier"));
        }
        NodeList exclusions = d.getElementsByTagName("exclusion");
        for (int i = 0; i < exclusions.getLength(); i++) {
          Element e = (Element) exclusions.item(i);
          s.append(" excluding ")
              .append(child(e, "groupId"))
              .append(':')
              .append(child(e, "artifactId"));
        }
        out.add(s.toString());
      }
    }
    return out;
  }

  /** The text of {@code parent}'s direct child {@code name}, or "" when it has none. */
  private static String child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    return "";
  }

  private static Element parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
        .getDocumentElement();
  }

  private static String section(String readme, String heading) {
    int start = readme.indexOf("\n" + heading + "\n");
    assertTrue(start >= 0, heading);
    int end = readme.indexOf("\n## ", start + heading.length() + 2);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }
}
