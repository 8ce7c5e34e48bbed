package org.tfmnist.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Runs the CLI through the real launcher, {@code bin/tf-mnist}, in a process of its own: a copy of
 * the script in a directory laid out as the project is, whose build looks fresh and whose classpath
 * is this test JVM's, so the launcher sets the environment as it does for a user and never builds.
 */
final class Launcher {

  private final Path root;

  /** A launcher root under {@code dir}. */
  Launcher(Path dir) throws IOException {
    root = dir.resolve("launcher");
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.copy(Path.of("bin/tf-mnist"), bin.resolve("tf-mnist"));
    Path target = Files.createDirectories(root.resolve("target"));
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    Files.setLastModifiedTime(Files.writeString(root.resolve("pom.xml"), ""), old);
    Files.setLastModifiedTime(Files.createDirectories(root.resolve("src/main")), old);
    try (JarOutputStream jar =
        new JarOutputStream(Files.newOutputStream(target.resolve("tf-mnist.jar")), manifest())) {
      // an empty jar: the classes come from the test classpath below
    }
    Files.writeString(target.resolve("classpath.txt"), System.getProperty("java.class.path"));
  }

  private static Manifest manifest() {
    Manifest m = new Manifest();
    m.getMainAttributes().putValue("Manifest-Version", "1.0");
    return m;
  }

  /**
   * Runs {@code bin/tf-mnist args} after the shell commands {@code setup} (a umask, a file-size
   * limit), with {@code env} added to the environment and TF_CPP_MIN_LOG_LEVEL unset unless {@code
   * env} sets it: the environment of a user who never heard of it.
   */
  CliTest.Run run(String setup, Map<String, String> env, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "bash",
                "-c",
                setup + " && exec \"$0\" \"$@\"",
                root.resolve("bin/tf-mnist").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> e = pb.environment();
    e.remove("TF_CPP_MIN_LOG_LEVEL");
    e.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin") + ":" + e.getOrDefault("PATH", "/usr/bin"));
    e.put("TF_MNIST_JAVA_OPTS", "-XX:-UsePerfData");
    e.putAll(env);
    return ChildProcess.run(pb, root);
  }
}
