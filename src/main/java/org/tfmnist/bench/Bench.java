package org.tfmnist.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.ConfigProto;
import org.tfmnist.data.Datasets;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.eval.Evaluation;
import org.tfmnist.graph.TrainingGraph;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.presets.Preset;
import org.tfmnist.runtime.ServingModel;
import org.tfmnist.train.Callback;
import org.tfmnist.train.History;
import org.tfmnist.train.Model;
import org.tfmnist.train.Recipe;
import org.tfmnist.train.callbacks.ProgbarLogger;
import org.tfmnist.train.callbacks.TerminateOnNaN;
import org.tfmnist.util.AtomicDir;
import org.tfmnist.util.CpuInfo;
import org.tfmnist.util.Memory;

/**
 * Times a preset the way {@code python/bench_keras.py} times the same Keras model: full MNIST, the
 * preset's batch size, validation on the test set at each epoch's end (counted in the epoch's time,
 * as Keras counts it), then batch inference of the test images through the exported SavedModel
 * ({@value #INFERENCE_BATCH} per session run, one warm-up pass, then {@value #INFERENCE_RUNS} timed
 * passes, as {@code bench_keras.py} times {@code model.predict}), and the process's peak RSS. With
 * the floor asked for, it first times each heavy op of the training step alone ({@link
 * KernelFloor}) and reports the epoch as a multiple of that floor.
 */
public final class Bench {

  private Bench() {}

  /** Images per session run at inference: {@code bench_keras.py}'s {@code predict} batch size. */
  public static final int INFERENCE_BATCH = ServingModel.BATCH;

  /** Timed inference passes after the warm-up pass (the same number as bench_keras.py's). */
  public static final int INFERENCE_RUNS = 5;

  /**
   * Times the training step's heavy ops alone once the graph is built, before the first epoch, and
   * prints the table.
   */
  private static final class MeasureFloor extends Callback {
    private final ConfigProto config;
    private final PrintStream out;
    private final String preset;
    private final int validationImages;
    KernelFloor.Floor floor;

    MeasureFloor(ConfigProto config, PrintStream out, String preset, int validationImages) {
      this.config = config;
      this.out = out;
      this.preset = preset;
      this.validationImages = validationImages;
    }

    @Override
    public void onTrainBegin() {
      TrainingGraph g = model.graph();
      floor =
          KernelFloor.measure(
              g.heavyOps(), g.batchSize(), g.stepsPerEpoch(), validationImages, config, 10);
      out.print(KernelFloor.table(floor, preset));
      out.flush();
    }
  }

  /** Runs the benchmark and returns its figures (the JSON {@link BenchReport} reads). */
  public static Map<String, Object> run(
      Preset preset,
      int epochs,
      long seed,
      Datasets.Splits data,
      ConfigProto config,
      int profileSteps,
      boolean floor,
      PrintStream out)
      throws IOException {
    Recipe r = preset.recipe().withEpochs(epochs);
    LabeledImages train = data.train();
    LabeledImages test = data.test();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("side", "java");
    // orders the runs of an interleaved bench (Java, Keras, Java, ...) in the report
    result.put("started_unix", System.currentTimeMillis() / 1e3);
    result.put("cpu", CpuInfo.read().json());
    result.put("preset", preset.name());
    result.put(
        "runtime",
        "TensorFlow Java "
            + tensorFlowJavaVersion()
            + " (TensorFlow "
            + TensorFlow.version()
            + ")"
            + (r.dtypePolicy() == DTypePolicy.FLOAT32 ? "" : ", " + r.dtypePolicy().kerasName()));
    result.put("batch_size", r.batchSize());
    result.put("train_images", train.count());
    result.put("dtype_policy", r.dtypePolicy().kerasName());
    Path tmp = Files.createTempDirectory("tf-mnist-bench");
    try (Model g = new Model(preset.model(), seed, config)) {
      g.dtypePolicy(r.dtypePolicy()).compile(r.optimizer(), r.loss());
      MeasureFloor floorJob = new MeasureFloor(config, out, preset.name(), test.count());
      List<Callback> callbacks = new ArrayList<>();
      if (floor) {
        callbacks.add(floorJob);
      }
      callbacks.add(new TerminateOnNaN());
      callbacks.add(new ProgbarLogger(out, false));
      History h = g.fit(train, test, r.epochs(), r.batchSize(), callbacks);
      KernelFloor.Floor kernels = floorJob.floor;
      if (kernels != null) {
        result.put("floor", KernelFloor.json(kernels));
      }
      Path model = tmp.resolve("1");
      g.export(model, Map.of());
      float[] pixels = test.floats();
      try (ServingModel m = ServingModel.load(model)) {
        float[][][] last = new float[1][][];
        List<Double> runs = timePasses(() -> last[0] = m.predict(pixels, test.count()));
        Evaluation e = Evaluation.of(last[0], test); // every pass gives the same answers
        result.put("inference_seconds", runs);
        result.put("inference_images", test.count());
        result.put("inference_batch", INFERENCE_BATCH);
        result.put("inference_warmup_passes", 1);
        result.put("inference_accuracy", e.accuracy());
      }
      if (profileSteps > 0) {
        g.graph().startEpoch(epochs);
        Map<String, Double> ops = g.graph().profileSteps(profileSteps);
        double total = ops.values().stream().mapToDouble(Double::doubleValue).sum();
        out.printf(
            java.util.Locale.ROOT,
            "Op time per training step (%d traced steps, %.1f ms of "
                + "op time per step; ops overlap on the two cores):%n",
            profileSteps,
            total);
        ops.entrySet().stream()
            .limit(15)
            .forEach(
                e ->
                    out.printf(
                        java.util.Locale.ROOT,
                        "  %-32s %8.2f ms  %5.1f %%%n",
                        e.getKey(),
                        e.getValue(),
                        100 * e.getValue() / total));
        result.put("op_ms_per_step", ops);
      }
      List<Double> secs = new ArrayList<>();
      h.epochs().forEach(e -> secs.add(e.seconds()));
      result.put("epoch_seconds", secs);
      if (kernels != null) {
        double median = Spread.median(BenchRun.afterWarmUp(secs));
        double times = median / kernels.epochSeconds();
        out.printf(
            java.util.Locale.ROOT,
            "Epoch %.1f s (median after the first) = %.2f x the kernel floor%n",
            median,
            times);
        result.put("epoch_floor_multiple", times);
      }
      result.put("test_accuracy", h.last().valAccuracy());

    } finally {
      AtomicDir.deleteTree(tmp);
    }
    result.put("peak_rss_bytes", Memory.peakRss());
    return result;
  }

  /**
   * Inference timed as every bench times it: one untimed warm-up {@code pass}, then {@value
   * #INFERENCE_RUNS} timed ones; their seconds.
   */
  static List<Double> timePasses(Runnable pass) {
    pass.run();
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < INFERENCE_RUNS; i++) {
      long t0 = System.nanoTime();
      pass.run();
      seconds.add((System.nanoTime() - t0) / 1e9);
    }
    return seconds;
  }

  /**
   * The TensorFlow Java release on the class path, from its jar's Maven metadata: bench results
   * name it, since two releases compared side by side run different TensorFlows.
   */
  static String tensorFlowJavaVersion() {
    try (var in =
        TensorFlow.class.getResourceAsStream(
            "/META-INF/maven/org.tensorflow/tensorflow-core-api/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
