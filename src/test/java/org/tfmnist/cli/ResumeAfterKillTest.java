package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;
import org.tfmnist.TestData;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.KerasAdam;
import org.tfmnist.presets.Presets;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.History;

/**
 * Training killed with SIGKILL after its second epoch's checkpoint resumes from that checkpoint and
 * ends exactly where an uninterrupted run of the same seed ends: every epoch's figures, the
 * history, the global step, and every tensor of the last checkpoint (weights, Adam's slots and
 * powers) bit for bit. mlp-dropout is the MLP preset whose resuming is not trivial: Adam's state
 * lives partly outside the slots, and the dropout masks are keyed by the restored global step.
 */
@Timeout(300)
class ResumeAfterKillTest {

  @TempDir Path tmp;

  private static final int EPOCHS = 4;

  /** 64 steps of 8 images per epoch: a few tenths of a second each here. */
  private static final List<String> TRAIN =
      List.of(
          "train",
          "--preset",
          "mlp-dropout",
          "--epochs",
          Integer.toString(EPOCHS),
          "--train-limit",
          "512",
          "--test-limit",
          "128",
          "--seed",
          "11",
          "--batch-size",
          "8",
          "--progress",
          "lines",
          "--no-export");

  /** The per-epoch progress line: its figures follow the time per step. */
  private static final Pattern EPOCH_END =
      Pattern.compile("^(\\d+)/\\1 \\[=+\\] - \\S+ \\S+/step - (loss: .*)$");

  private static final Pattern EPOCH_START = Pattern.compile("^Epoch (\\d+)/" + EPOCHS + "$");

  @Test
  void resumesFromTheLastFinishedEpochAfterAKill() throws Exception {
    TestData.mnist();
    Path killedCk = tmp.resolve("killed");
    Path straightCk = tmp.resolve("straight");

    // 1. a run in its own process, killed on its own words: "Epoch 3/4" is printed only once
    // epoch 2's checkpoint has been written (the trainer saves it before starting epoch 3)
    List<String> cmd = ChildProcess.javaMain();
    cmd.addAll(args(killedCk));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new OutputLines(p).lines;
    List<String> killedOut = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    boolean killed = false;
    try {
      while (!killed) {
        String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (l == null || l == OutputLines.EOF) {
          fail(
              (l == null
                      ? "no 'Epoch 3/" + EPOCHS + "' within 120 s"
                      : "the run ended before " + "'Epoch 3/" + EPOCHS + "'")
                  + ": "
                  + String.join("\n", killedOut));
        }
        killedOut.add(l);
        if (l.equals("Epoch 3/" + EPOCHS)) {
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
    // whatever it printed before the signal landed
    for (String l = lines.poll(30, TimeUnit.SECONDS);
        l != OutputLines.EOF;
        l = lines.poll(30, TimeUnit.SECONDS)) {
      assertTrue(l != null, "the killed process's output ends");
      killedOut.add(l);
    }
    String killedText = String.join("\n", killedOut);
    assertNotEquals(0, p.exitValue(), killedText);
    assertFalse(killedText.contains("test loss"), "killed before the end: " + killedText);
    // the signal lands within a few milliseconds of "Epoch 3/4", an epoch takes tenths of a
    // second: the checkpoint left is epoch 2's (3 only if this machine stalled the signal)
    int done = Checkpoints.read(killedCk).state().epoch();
    assertTrue(
        done >= 2 && done < EPOCHS,
        "killed after epoch 2's checkpoint and before the "
            + "last epoch's: the newest checkpoint is epoch "
            + done
            + "\n"
            + killedText);

    // 2. resumed in this process, with the same command plus --resume
    List<String> resume = new ArrayList<>(args(killedCk));
    resume.add("--resume");
    CliTest.Run r = CliTest.cli(resume.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out()
            .contains(
                String.format(
                    "Resuming from %s: %d of %d epochs done",
                    killedCk.resolve(String.format("epoch-%04d", done)), done, EPOCHS)),
        r.out());
    try (var s = Files.list(killedCk)) {
      assertTrue(
          s.noneMatch(x -> x.getFileName().toString().contains(".tmp-")),
          "no half-written checkpoint left");
    }

    // 3. the same run, never interrupted
    CliTest.Run s = CliTest.cli(args(straightCk).toArray(String[]::new));
    assertEquals(0, s.code(), s.err());

    // every epoch line of the straight run, and the same lines in the killed and resumed runs
    Map<Integer, String> straight = epochLines(s.out());
    Map<Integer, String> before = epochLines(killedText);
    Map<Integer, String> after = epochLines(r.out());
    assertEquals(List.of(1, 2, 3, 4), List.copyOf(straight.keySet()), s.out());
    assertEquals(
        range(done + 1, EPOCHS),
        List.copyOf(after.keySet()),
        "the resumed run " + "trains epochs " + (done + 1) + " to " + EPOCHS + " only: " + r.out());
    assertTrue(before.keySet().containsAll(range(1, done)), killedText);
    for (Map.Entry<Integer, String> e : before.entrySet()) {
      assertEquals(
          straight.get(e.getKey()), e.getValue(), "epoch " + e.getKey() + " before the kill");
    }
    for (Map.Entry<Integer, String> e : after.entrySet()) {
      assertEquals(
          straight.get(e.getKey()), e.getValue(), "epoch " + e.getKey() + " after resuming");
    }
    assertEquals(onlyLine(s.out(), "test loss: "), onlyLine(r.out(), "test loss: "));

    // the recorded state at full precision (the history without its timings)
    Checkpoints.State a = Checkpoints.read(killedCk).state();
    Checkpoints.State b = Checkpoints.read(straightCk).state();
    assertEquals(EPOCHS, a.epoch());
    assertEquals(EPOCHS, b.epoch());
    assertEquals(b.globalStep(), a.globalStep(), "global step");
    assertEquals(figures(b.history()), figures(a.history()), "history");

    // every tensor of the last checkpoint, bit for bit
    String last = String.format("epoch-%04d", EPOCHS);
    Map<String, byte[]> resumed = tensors(killedCk.resolve(last).resolve(Checkpoints.PREFIX));
    Map<String, byte[]> uninterrupted =
        tensors(straightCk.resolve(last).resolve(Checkpoints.PREFIX));
    for (String name : uninterrupted.keySet()) {
      byte[] x = uninterrupted.get(name);
      byte[] y = resumed.get(name);
      assertTrue(java.util.Arrays.equals(x, y), name + " differs: " + firstDifference(x, y));
    }
  }

  /** The training command writing its checkpoints to {@code ck}. */
  private static List<String> args(Path ck) {
    List<String> a = new ArrayList<>(TRAIN);
    a.addAll(
        List.of("--checkpoint-dir", ck.toString(), "--data-dir", TestData.dataRoot().toString()));
    return a;
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

  private static List<Integer> range(int from, int to) {
    List<Integer> r = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      r.add(i);
    }
    return r;
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

  /** The weights, Adam's m and v slots and its two powers, read from the checkpoint. */
  private static Map<String, byte[]> tensors(Path prefix) {
    List<String> names = new ArrayList<>();
    for (Sequential.WeightVariable w : Presets.mlpDropout().model().weights()) {
      names.add(w.variableName());
      names.add(w.variableName() + "-" + KerasAdam.FIRST_MOMENT);
      names.add(w.variableName() + "-" + KerasAdam.SECOND_MOMENT);
    }
    names.addAll(List.of("beta1_power", "beta2_power"));
    List<Class<? extends TType>> types = new ArrayList<>();
    names.forEach(n -> types.add(TFloat32.class));
    Map<String, byte[]> out = new TreeMap<>();
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Restore restore =
          tf.train.restore(
              tf.constant(prefix.toString()),
              tf.array(names.toArray(String[]::new)),
              tf.array(names.stream().map(n -> "").toArray(String[]::new)),
              types);
      Session.Runner runner = s.runner();
      restore.tensors().forEach(runner::fetch);
      try (Result res = runner.run()) {
        for (int i = 0; i < names.size(); i++) {
          Tensor t = res.get(i);
          byte[] bytes = new byte[(int) t.numBytes()];
          t.asRawTensor().data().read(bytes);
          out.put(names.get(i), bytes);
        }
      }
    }
    return out;
  }

  private static String firstDifference(byte[] x, byte[] y) {
    if (y == null || x.length != y.length) {
      return "missing or of another size";
    }
    java.nio.FloatBuffer fx = ByteBuffer.wrap(x).order(ByteOrder.nativeOrder()).asFloatBuffer();
    java.nio.FloatBuffer fy = ByteBuffer.wrap(y).order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (int i = 0; i < fx.limit(); i++) {
      if (Float.floatToRawIntBits(fx.get(i)) != Float.floatToRawIntBits(fy.get(i))) {
        return "element " + i + ": " + fx.get(i) + " uninterrupted, " + fy.get(i) + " resumed";
      }
    }
    return "?";
  }
}
