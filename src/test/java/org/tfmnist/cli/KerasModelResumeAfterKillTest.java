package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.KerasFixtures;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.eval.Evaluation;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.History;

/**
 * {@code train --model lenet5.json} (LeNet-5 as Keras' {@code model.to_json()} wrote it) killed
 * with SIGKILL right after its first epoch's checkpoint resumes from that checkpoint, with the
 * model it records, and ends exactly where an uninterrupted run of the same seed ends: every
 * epoch's printed figures, the recorded history, the global step and the last checkpoint's files
 * byte for byte. {@code export --checkpoint} of the resumed run then writes a SavedModel that Java
 * loads and that predicts what {@code evaluate} says of it, and what the uninterrupted run's export
 * predicts.
 */
@Timeout(180)
class KerasModelResumeAfterKillTest {

  @TempDir Path tmp;

  private static final int EPOCHS = 3;

  /** Test images: the validation set while training, and what evaluate and the export see. */
  private static final int TEST = 256;

  /**
   * 96 steps of 32 images per epoch: about half a second each here, so the kill (a few milliseconds
   * after "Epoch 2/3") lands long before epoch 2's checkpoint.
   */
  private static final List<String> TRAIN =
      List.of(
          "train",
          "--model",
          KerasFixtures.path("lenet5.json").toString(),
          "--epochs",
          Integer.toString(EPOCHS),
          "--train-limit",
          "3072",
          "--test-limit",
          Integer.toString(TEST),
          "--seed",
          "7",
          "--batch-size",
          "32",
          "--progress",
          "lines",
          "--no-export");

  /** The per-epoch progress line: its figures follow the time per step. */
  private static final Pattern EPOCH_END =
      Pattern.compile("^(\\d+)/\\1 \\[=+\\] - \\S+ \\S+/step - (loss: .*)$");

  private static final Pattern EPOCH_START = Pattern.compile("^Epoch (\\d+)/" + EPOCHS + "$");

  @Test
  void aKerasJsonModelResumesAfterAKillAndExports() throws Exception {
    TestData.mnist();
    Path killedCk = tmp.resolve("killed");
    Path straightCk = tmp.resolve("straight");

    // 1. the run in a process of its own, killed on its own words: "Epoch 2/3" is printed only
    // once epoch 1's checkpoint has been written (the trainer saves it before starting epoch 2)
    String killedText = runAndKill(killedCk);
    Path first = killedCk.resolve("epoch-0001");
    assertTrue(
        Files.isRegularFile(first.resolve(Checkpoints.STATE)),
        "epoch 1's checkpoint: " + killedText);
    Checkpoints.Saved left = Checkpoints.read(killedCk);
    assertEquals(first, left.dir(), "the newest checkpoint is epoch 1's:\n" + killedText);
    assertEquals(1, left.state().epoch());
    assertTrue(
        left.state().model() != null && left.state().model().contains("\"AveragePooling2D\""),
        "the checkpoint records the Keras model, not a preset's name");
    assertEquals(null, halfWritten(killedCk), "no half-written checkpoint after the kill");

    // 2. resumed in this process, with the same command plus --resume
    List<String> resume = new ArrayList<>(args(killedCk));
    resume.add("--resume");
    CliTest.Run r = CliTest.cli(resume.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().contains(String.format("Resuming from %s: 1 of %d epochs done", first, EPOCHS)),
        r.out());
    assertEquals(
        "Epoch 2/" + EPOCHS,
        r.out().lines().filter(l -> EPOCH_START.matcher(l).matches()).findFirst().orElse(null),
        "the resumed run starts at epoch 2: " + r.out());
    assertEquals(null, halfWritten(killedCk), "no half-written checkpoint after resuming");

    // 3. the same run, never interrupted
    CliTest.Run s = CliTest.cli(args(straightCk).toArray(String[]::new));
    assertEquals(0, s.code(), s.err());

    Map<Integer, String> straight = epochLines(s.out());
    Map<Integer, String> before = epochLines(killedText);
    Map<Integer, String> after = epochLines(r.out());
    assertEquals(List.of(1, 2, 3), List.copyOf(straight.keySet()), s.out());
    assertEquals(List.of(1), List.copyOf(before.keySet()), killedText);
    assertEquals(List.of(2, 3), List.copyOf(after.keySet()), r.out());
    assertEquals(straight.get(1), before.get(1), "epoch 1 before the kill");
    assertEquals(straight.get(2), after.get(2), "epoch 2 after resuming");
    assertEquals(straight.get(3), after.get(3), "epoch 3 after resuming");
    assertEquals(onlyLine(s.out(), "test loss: "), onlyLine(r.out(), "test loss: "));

    // the recorded state at full precision (the history without its timings)
    Checkpoints.Saved a = Checkpoints.read(killedCk);
    Checkpoints.Saved b = Checkpoints.read(straightCk);
    assertEquals(EPOCHS, a.state().epoch());
    assertEquals(EPOCHS, b.state().epoch());
    assertEquals(b.state().globalStep(), a.state().globalStep(), "global step");
    assertEquals(figures(b.state().history()), figures(a.state().history()), "history");
    assertEquals(b.state().model(), a.state().model(), "the recorded model");
    // weights, optimizer slots and step: the same tensors give the same bytes
    for (String f :
        List.of(Checkpoints.PREFIX + ".index", Checkpoints.PREFIX + ".data-00000-of-00001")) {
      assertArrayEquals(
          Files.readAllBytes(b.dir().resolve(f)),
          Files.readAllBytes(a.dir().resolve(f)),
          f + " of the last checkpoint");
    }

    // 4. export --checkpoint of both; the resumed run's export predicts what evaluate says
    Path resumedModel = export(killedCk, tmp.resolve("models-resumed"));
    Path straightModel = export(straightCk, tmp.resolve("models-straight"));
    Path npy = tmp.resolve("evaluate.npy");
    CliTest.Run e =
        CliTest.cli(
            "evaluate",
            "--model",
            resumedModel.toString(),
            "--test-limit",
            Integer.toString(TEST),
            "--format",
            "json",
            "--save-probabilities",
            npy.toString(),
            "--data-dir",
            TestData.dataRoot().toString());
    assertEquals(0, e.code(), e.err());
    Map<String, Object> said = JSON.std.mapFrom(e.out());
    LabeledImages test = TestData.mnist().test().first(TEST);
    float[][] java;
    float[][] uninterrupted;
    try (ServingModel m = ServingModel.load(resumedModel)) {
      java = m.predict(test);
    }
    try (ServingModel m = ServingModel.load(straightModel)) {
      uninterrupted = m.predict(test);
    }
    float[][] evaluated = readNpy(npy, TEST, 10);
    for (int i = 0; i < TEST; i++) {
      assertArrayEquals(evaluated[i], java[i], "image " + i + ": evaluate's probabilities");
      assertArrayEquals(uninterrupted[i], java[i], "image " + i + ": the uninterrupted export");
    }
    Evaluation mine = Evaluation.of(java, test);
    assertEquals(((Number) said.get("correct")).intValue(), mine.correct(), e.out());
    assertEquals(((Number) said.get("accuracy")).doubleValue(), mine.accuracy(), e.out());
    assertEquals(((Number) said.get("loss")).doubleValue(), mine.loss(), 1e-12, e.out());
    // and what training said of the test set (the validation set here) at its last epoch
    History.Epoch last = a.state().history().epochs().get(EPOCHS - 1);
    assertEquals(last.valAccuracy(), mine.accuracy(), 1e-9, "the trainer's val_accuracy");
    assertEquals(last.valLoss(), mine.loss(), 1e-5, "the trainer's val_loss");
  }

  /** Starts the run in a child JVM and kills it with SIGKILL once it prints "Epoch 2/3". */
  private String runAndKill(Path ck) throws Exception {
    List<String> cmd = ChildProcess.javaMain();
    cmd.addAll(args(ck));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new OutputLines(p).lines;
    List<String> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ChildProcess.LIMIT_SECONDS);
    String trigger = "Epoch 2/" + EPOCHS;
    try {
      for (boolean killed = false; !killed; ) {
        String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (l == null || l == OutputLines.EOF) {
          fail(
              (l == null ? "no '" + trigger + "' in time" : "the run ended before '" + trigger)
                  + "':\n"
                  + String.join("\n", out));
        }
        out.add(l);
        if (l.equals(trigger)) {
          p.destroyForcibly(); // SIGKILL on Unix
          killed = true;
        }
      }
    } finally {
      p.destroyForcibly();
      // an assertion here would hide the failure that got us here; checked below
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertFalse(p.isAlive(), "the killed process is gone");
    for (String l = lines.poll(30, TimeUnit.SECONDS);
        l != OutputLines.EOF;
        l = lines.poll(30, TimeUnit.SECONDS)) {
      assertTrue(l != null, "the killed process's output ends");
      out.add(l);
    }
    String text = String.join("\n", out);
    assertNotEquals(0, p.exitValue(), text);
    assertFalse(text.contains("test loss"), "killed before the end: " + text);
    return text;
  }

  /** The training command writing its checkpoints to {@code ck}. */
  private static List<String> args(Path ck) {
    List<String> a = new ArrayList<>(TRAIN);
    a.addAll(
        List.of("--checkpoint-dir", ck.toString(), "--data-dir", TestData.dataRoot().toString()));
    return a;
  }

  /** {@code export --checkpoint ck}: the SavedModel it wrote. */
  private static Path export(Path ck, Path models) {
    CliTest.Run r =
        CliTest.cli("export", "--checkpoint", ck.toString(), "--models-dir", models.toString());
    assertEquals(0, r.code(), r.err());
    Path dir = models.resolve("lenet5/1");
    assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")), r.out());
    return dir;
  }

  /**
   * What is half-written in a checkpoint directory, or null: a temporary left by an interrupted
   * write, or an epoch directory without its whole checkpoint. (.lock is the run lock's file.)
   */
  private static String halfWritten(Path ck) throws IOException {
    try (var s = Files.list(ck)) {
      for (Path d : s.toList()) {
        String n = d.getFileName().toString();
        if (n.equals(".lock")) {
          continue;
        }
        if (!n.matches("epoch-\\d{4}")) {
          return d.toString();
        }
        for (String f :
            List.of(
                Checkpoints.STATE,
                Checkpoints.PREFIX + ".index",
                Checkpoints.PREFIX + ".data-00000-of-00001")) {
          if (!Files.isRegularFile(d.resolve(f))) {
            return d.resolve(f) + " is missing";
          }
        }
      }
    }
    return null;
  }

  /** Epoch number to its figures (loss, accuracy, val_loss, val_accuracy as printed). */
  private static Map<Integer, String> epochLines(String out) {
    Map<Integer, String> m = new TreeMap<>();
    Integer epoch = null;
    for (String l : out.lines().toList()) {
      Matcher start = EPOCH_START.matcher(l);
      Matcher end = EPOCH_END.matcher(l);
      if (start.matches()) {
        epoch = Integer.valueOf(start.group(1));
      } else if (end.matches()) {
        assertTrue(epoch != null && !m.containsKey(epoch), "one line per epoch: " + out);
        m.put(epoch, end.group(2));
      }
    }
    return m;
  }

  private static String onlyLine(String out, String prefix) {
    List<String> l = out.lines().filter(x -> x.startsWith(prefix)).toList();
    assertEquals(1, l.size(), "one '" + prefix + "' line in: " + out);
    return l.get(0);
  }

  private static List<List<Double>> figures(History h) {
    return h.epochs().stream()
        .map(e -> List.of((double) e.epoch(), e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy()))
        .toList();
  }

  /** A float32 .npy file of {@code rows} x {@code cols}, as evaluate writes it. */
  private static float[][] readNpy(Path file, int rows, int cols) throws IOException {
    byte[] b = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x93, b[0] & 0xff, "a .npy file");
    int headerLength = b[6] == 1 ? buf.getShort(8) & 0xffff : buf.getInt(8);
    int start = (b[6] == 1 ? 10 : 12) + headerLength;
    String header = new String(b, 0, start, StandardCharsets.ISO_8859_1);
    assertTrue(header.contains("'<f4'") && header.contains("(" + rows + ", " + cols + ")"), header);
    float[][] out = new float[rows][cols];
    buf.position(start);
    for (float[] row : out) {
      for (int j = 0; j < cols; j++) {
        row[j] = buf.getFloat();
      }
    }
    return out;
  }
}
