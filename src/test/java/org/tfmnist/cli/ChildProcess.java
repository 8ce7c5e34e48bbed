package org.tfmnist.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CLI in a JVM of its own, for tests that need what an in-process run cannot give: a heap of
 * its own size, a kill, a file-size limit, the launcher's environment, output that stays out of the
 * test's JVM.
 */
public final class ChildProcess {

  /** How long a child may run before the test fails. */
  static final int LIMIT_SECONDS = 180;

  private ChildProcess() {}

  /** {@code java JVM_FLAGS -cp <this test's classpath> org.tfmnist.cli.Main}, arguments to add. */
  public static List<String> javaMain(String... jvmFlags) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmFlags));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.tfmnist.cli.Main"));
    return cmd;
  }

  /**
   * Runs {@code pb} to its end, its stdout and stderr in files under {@code dir}; a child that does
   * not end within {@link #LIMIT_SECONDS} fails the test, and is killed either way.
   */
  static CliTest.Run run(ProcessBuilder pb, Path dir) throws IOException, InterruptedException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError(
            String.join(" ", pb.command()) + " did not end in " + LIMIT_SECONDS + " s");
      }
      return new CliTest.Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      p.destroyForcibly();
    }
  }
}
