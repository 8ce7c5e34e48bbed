package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TestModels;
import org.tfmnist.TestModes;

/**
 * What the commands write has the modes the umask gives a new file or directory, as files the shell
 * makes do: a server running as another user (TF Serving, {@code tf-mnist serve}) can read an
 * exported model under the usual umask 022, and a stricter umask is kept too.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WrittenModesTest {

  @TempDir Path tmp;

  @Test
  void probabilitiesAndPicturesHaveTheUmasksModes() throws Exception {
    int umask = TestModes.umask();
    Path npy = tmp.resolve("p.npy");
    CliTest.Run e =
        CliTest.cli(
            "evaluate",
            "--model",
            TestModels.mlp().toString(),
            "--data-dir",
            TestData.dataRoot().toString(),
            "--limit",
            "50",
            "--save-probabilities",
            npy.toString());
    assertEquals(0, e.code(), e.err());
    Path png = tmp.resolve("samples.png");
    CliTest.Run s =
        CliTest.cli(
            "show",
            "samples",
            "--data-dir",
            TestData.dataRoot().toString(),
            "--count",
            "4",
            "-o",
            png.toString());
    assertEquals(0, s.code(), s.err());
    TestModes.assertTree(npy, umask);
    TestModes.assertTree(png, umask);
  }

  @Test
  void anExportAndACheckpointHaveTheUmasksModes() throws Exception {
    TestModes.umask(); // skips where modes cannot be told
    Launcher launcher = new Launcher(tmp);
    for (int umask : new int[] {027, 022}) {
      Path dir = tmp.resolve("umask" + Integer.toOctalString(umask));
      CliTest.Run r =
          launcher.run(
              "umask " + Integer.toOctalString(umask),
              Map.of(),
              TrainArgs.of(dir, "--epochs", "1"));
      assertEquals(0, r.code(), r.out() + r.err());
      TestModes.assertTree(dir.resolve("models/mlp/1"), umask);
      TestModes.assertTree(dir.resolve("ck/epoch-0001"), umask);
    }
    try (Stream<Path> s = Files.walk(tmp.resolve("umask22/models/mlp/1"))) {
      for (Path p : s.toList()) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        assertTrue(perms.contains(PosixFilePermission.OTHERS_READ), p + " " + perms);
        assertTrue(
            !Files.isDirectory(p) || perms.contains(PosixFilePermission.OTHERS_EXECUTE),
            p + " " + perms);
      }
    }
  }
}
