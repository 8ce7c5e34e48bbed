package org.tfmnist.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;
import org.tfmnist.presets.Presets;

/**
 * Forward passes and gradients for Keras to recompute: BatchNormalization on a [16, 3] and a [4, 5,
 * 6, 3] batch, and cnn-best's layer stack without its random layers (augmentation, dropout) on 8
 * MNIST digits, and the Keras CNN tutorial's layers without dropout under the mixed_bfloat16 policy
 * (also computed in float32 from the same weights: the bfloat16 pass must be within what bfloat16
 * allows of it, here and in Python for Keras' own), each in training and at inference from the same
 * weights (moving statistics included). For a fixed {@code upstream} tensor r of the output's
 * shape, the scalar {@code sum(output * r)} is differentiated with respect to the input and every
 * trainable weight; the moving statistics after the training pass's updates are written too.
 * Everything goes as .npy files with {@code trace.json} (cases, layers, weights) into the directory
 * the system property {@value #DIR_PROPERTY} names (a temporary one if absent, checking only the
 * Java side); {@code python/interop_check.py layers --dir DIR} compares them with Keras (make
 * python-check).
 */
class LayerTraceTest {

  static final String DIR_PROPERTY = "tfmnist.layerTrace";

  /** How far a bfloat16 pass's probabilities may be from float32's: 4 bfloat16 steps of 1. */
  static final double BF16_OUTPUT = 1.0 / 64;

  /** How far a bfloat16 pass's gradients may be from float32's, in relative L2 norm. */
  static final double BF16_GRADIENT = 0.25;

  @TempDir Path tmp;

  /** One traced model: its input batch and its weights, by variable name. */
  private record Case(
      String name,
      Sequential model,
      long[] batchShape,
      float[] x,
      Map<String, float[]> weights,
      DTypePolicy policy) {

    Case(
        String name, Sequential model, long[] batchShape, float[] x, Map<String, float[]> weights) {
      this(name, model, batchShape, x, weights, DTypePolicy.FLOAT32);
    }

    /** The same layers, weights and input computing in float32: the reference of a mixed case. */
    Case inFloat32() {
      return new Case(name, model, batchShape, x, weights, DTypePolicy.FLOAT32);
    }

    /** Whether the model has moving statistics (batch norms): training then differs. */
    boolean moving() {
      return model.weights().stream().anyMatch(w -> !w.spec().trainable());
    }
  }

  private static float[] gaussian(Random r, int n, double mean, double sd) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (mean + sd * r.nextGaussian());
    }
    return a;
  }

  /** Channels of different scales (0.1, 1, 3) and offsets, as a batch norm meets them. */
  private static float[] channels(Random r, int rows) {
    double[] scale = {0.1, 1, 3};
    double[] offset = {-0.5, 2, 10};
    float[] x = new float[rows * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (offset[i % 3] + scale[i % 3] * r.nextGaussian());
    }
    return x;
  }

  /** Weights for every parameter: He-scaled kernels, batch norms away from their defaults. */
  private static Map<String, float[]> weights(Sequential m, Random r) {
    Map<String, float[]> w = new LinkedHashMap<>();
    for (Sequential.WeightVariable p : m.weights()) {
      long[] shape = p.spec().shape();
      int n = (int) Shapes.size(shape);
      float[] v =
          switch (p.spec().name()) {
            case "gamma" -> gaussian(r, n, 1, 0.2);
            case "beta", "moving_mean" -> gaussian(r, n, 0, 0.2);
            case "moving_variance" -> {
              float[] a = new float[n];
              for (int i = 0; i < n; i++) {
                a[i] = (float) (0.5 + r.nextDouble());
              }
              yield a;
            }
            case "bias" -> gaussian(r, n, 0, 0.05);
            default -> gaussian(r, n, 0, Math.sqrt(2.0 * shape[shape.length - 1] / n));
          };
      w.put(p.variableName(), v);
    }
    return w;
  }

  /** A batch of 8 MNIST digits. */
  private static final long[] DIGITS = {8, 28, 28};

  /** {@code model}'s own layer objects but those {@code left} matches, as a new model. */
  private static Sequential stack(
      String name, Sequential model, java.util.function.Predicate<Layer> left) {
    Layer[] kept =
        model.layers().stream()
            .map(Sequential.BuiltLayer::layer)
            .filter(left.negate())
            .toArray(Layer[]::new);
    return Sequential.of(name, Sequential.input(28, 28), kept);
  }

  private static List<Case> cases() {
    Random r = new Random(2024);
    List<Case> cases = new ArrayList<>();
    Sequential dense = Sequential.of("bn_dense", Sequential.input(3), new BatchNormalization());
    cases.add(new Case("bn-dense", dense, new long[] {16, 3}, channels(r, 16), weights(dense, r)));
    Sequential image =
        Sequential.of("bn_image", Sequential.input(5, 6, 3), new BatchNormalization());
    cases.add(
        new Case(
            "bn-image", image, new long[] {4, 5, 6, 3}, channels(r, 4 * 5 * 6), weights(image, r)));
    // cnn-best's own layer objects, without the layers that draw random numbers in training
    Sequential cnn =
        stack(
            "cnn_best_stack",
            Presets.cnnBest().model(),
            l ->
                l instanceof RandomRotation
                    || l instanceof RandomZoom
                    || l instanceof RandomTranslation
                    || l instanceof Dropout);
    cases.add(
        new Case("cnn-best", cnn, DIGITS, TestData.test().first(8).floats(), weights(cnn, r)));
    // the Keras CNN tutorial's layers without its dropout, computing in bfloat16
    Sequential mixed = stack("cnn_mixed", Presets.cnn().model(), l -> l instanceof Dropout);
    cases.add(
        new Case(
            "cnn-mixed",
            mixed,
            DIGITS,
            TestData.test().first(8).floats(),
            weights(mixed, r),
            DTypePolicy.MIXED_BFLOAT16));
    return cases;
  }

  @Test
  void tracesBatchNormalizationAndCnnBestForKeras() throws IOException {
    String property = System.getProperty(DIR_PROPERTY);
    Path dir = property == null || property.isBlank() ? tmp : Path.of(property);
    Files.createDirectories(dir);
    List<Object> traced = new ArrayList<>();
    for (Case c : cases()) {
      Path caseDir = dir.resolve(c.name());
      npy(caseDir.resolve("input.npy"), c.batchShape(), c.x());
      List<Object> variables = new ArrayList<>();
      for (Sequential.WeightVariable w : c.model().weights()) {
        npy(
            caseDir.resolve("weights").resolve(w.variableName() + ".npy"),
            w.spec().shape(),
            c.weights().get(w.variableName()));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", w.variableName());
        v.put("shape", w.spec().shape());
        v.put("trainable", w.spec().trainable());
        variables.add(v);
      }
      long[] outShape = Shapes.withBatch(c.model().outputShape());
      outShape[0] = c.batchShape()[0];
      float[] upstream = gaussian(new Random(7), (int) Shapes.size(outShape), 0, 1);
      npy(caseDir.resolve("upstream.npy"), outShape, upstream);
      Map<String, float[]> training = trace(c, true, upstream, caseDir.resolve("training"));
      Map<String, float[]> inference = trace(c, false, upstream, caseDir.resolve("inference"));
      if (c.policy() != DTypePolicy.FLOAT32) {
        // bfloat16 is judged against float32 on each side (Java here, Keras in Python): a faulty
        // bf16 kernel on either side cannot hide behind the other side's agreement
        Path ref = caseDir.resolve("float32");
        withinBfloat16(
            c.name() + " training",
            trace(c.inFloat32(), true, upstream, ref.resolve("training")),
            training);
        withinBfloat16(
            c.name() + " inference",
            trace(c.inFloat32(), false, upstream, ref.resolve("inference")),
            inference);
      }
      if (c.moving()) {
        assertTrue(
            maxDiff(training.get("output"), inference.get("output")) > 1e-2,
            c.name() + ": batch statistics in training, moving ones at inference");
      }
      for (Map.Entry<String, float[]> e : training.entrySet()) {
        for (float v : e.getValue()) {
          assertTrue(Float.isFinite(v), c.name() + ": " + e.getKey() + " finite");
        }
      }
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("name", c.name());
      t.put("layers", c.model().describe());
      t.put("dtype_policy", c.policy().kerasName());
      if (c.policy() != DTypePolicy.FLOAT32) {
        t.put("reference", "float32/MODE: the same pass computed in float32");
      }
      t.put("input_shape", c.batchShape());
      t.put("output_shape", outShape);
      t.put("variables", variables);
      traced.add(t);
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("loss", "sum(output * upstream)");
    manifest.put("modes", List.of("training", "inference"));
    manifest.put(
        "files",
        "CASE/input.npy, CASE/upstream.npy, CASE/weights/VAR.npy, "
            + "CASE/MODE/output.npy, CASE/MODE/grad_input.npy, CASE/MODE/grad_VAR.npy (trainable), "
            + "CASE/training/after_VAR.npy (moving statistics after the update), "
            + "CASE/float32/MODE/... (a mixed case's pass computed in float32)");
    manifest.put("cases", traced);
    Files.writeString(
        dir.resolve("trace.json"),
        JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(manifest) + "\n");
  }

  /**
   * One pass of case {@code c} in a graph of its own, the weights as reference variables: writes
   * the output, the gradients of sum(output * upstream) and, in training, the moving statistics
   * after the update ops ran with the pass; returns what it wrote, by file stem.
   */
  private static Map<String, float[]> trace(Case c, boolean training, float[] upstream, Path out)
      throws IOException {
    Map<String, float[]> written = new LinkedHashMap<>();
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
      Map<String, Operand<TFloat32>> values = new LinkedHashMap<>();
      Session.Runner init = s.runner();
      for (Sequential.WeightVariable w : c.model().weights()) {
        Variable<TFloat32> v =
            tf.withName(w.variableName()).variable(Shape.of(w.spec().shape()), TFloat32.class);
        init.addTarget(
            tf.assign(
                v,
                tf.reshape(
                    tf.constant(c.weights().get(w.variableName())),
                    tf.constant(w.spec().shape()))));
        vars.put(w.variableName(), v);
        values.put(w.variableName(), v);
      }
      init.run();
      Operand<TFloat32> x = tf.reshape(tf.constant(c.x()), tf.constant(c.batchShape()));
      Context ctx =
          training
              ? Context.training(
                  tf.constant(new long[] {1, 2}),
                  (ops, name, value) -> ops.assign(vars.get(name), value))
              : Context.inference();
      Sequential.Forward f = c.model().forward(tf, x, values, ctx.withPolicy(c.policy()));
      long[] outShape = Shapes.withBatch(c.model().outputShape());
      outShape[0] = c.batchShape()[0];
      Operand<TFloat32> loss =
          tf.reduceSum(
              tf.math.mul(f.output(), tf.reshape(tf.constant(upstream), tf.constant(outShape))),
              tf.range(tf.constant(0), tf.rank(f.output()), tf.constant(1)));
      List<String> names = new ArrayList<>(List.of("input"));
      List<Output<?>> wrt = new ArrayList<>(List.of(x.asOutput()));
      for (Sequential.WeightVariable w : c.model().weights()) {
        if (w.spec().trainable()) {
          names.add(w.variableName());
          wrt.add(vars.get(w.variableName()).asOutput());
        }
      }
      Output<?>[] grads = g.addGradients(loss.asOutput(), wrt.toArray(Output<?>[]::new));
      Session.Runner run = s.runner().fetch(f.output());
      for (Output<?> gr : grads) {
        run.fetch(gr);
      }
      f.updates().forEach(run::addTarget);
      assertEquals(training && c.moving(), !f.updates().isEmpty(), "updates in training only");
      try (Result r = run.run()) {
        written.put("output", write(out.resolve("output.npy"), (TFloat32) r.get(0)));
        for (int i = 0; i < names.size(); i++) {
          written.put(
              "grad_" + names.get(i),
              write(out.resolve("grad_" + names.get(i) + ".npy"), (TFloat32) r.get(i + 1)));
        }
      }
      if (training) {
        for (Sequential.WeightVariable w : c.model().weights()) {
          if (!w.spec().trainable()) {
            try (Result r = s.runner().fetch(vars.get(w.variableName())).run()) {
              float[] after =
                  write(out.resolve("after_" + w.variableName() + ".npy"), (TFloat32) r.get(0));
              assertTrue(
                  maxDiff(after, c.weights().get(w.variableName())) > 0,
                  w.variableName() + " moved");
              written.put("after_" + w.variableName(), after);
            }
          }
        }
      }
    }
    return written;
  }

  /**
   * A bfloat16 pass against the float32 pass of the same layers and weights, with the bounds the
   * Python check applies to both Java and Keras: the probabilities within {@link #BF16_OUTPUT},
   * each gradient within {@link #BF16_GRADIENT} in relative L2 norm (bfloat16's rounding compounds
   * through the backward pass, and a wrong kernel is off by about the values themselves).
   */
  private static void withinBfloat16(
      String what, Map<String, float[]> float32, Map<String, float[]> bf16) {
    for (Map.Entry<String, float[]> e : float32.entrySet()) {
      float[] ref = e.getValue();
      float[] got = bf16.get(e.getKey());
      boolean output = e.getKey().equals("output");
      double measured = output ? maxDiff(got, ref) : relativeL2(got, ref);
      double bound = output ? BF16_OUTPUT : BF16_GRADIENT;
      assertTrue(
          measured <= bound,
          String.format(
              "%s %s: bfloat16 is %.3g off float32 (%s), more than %.3g",
              what, e.getKey(), measured, output ? "max |difference|" : "relative L2", bound));
    }
  }

  private static double relativeL2(float[] a, float[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (a[i] - (double) b[i]) * (a[i] - (double) b[i]);
      norm += (double) b[i] * b[i];
    }
    return Math.sqrt(diff / Math.max(norm, 1e-60));
  }

  private static double maxDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  private static float[] write(Path file, TFloat32 t) throws IOException {
    float[] a = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(a);
    npy(file, t.shape().asArray(), a);
    return a;
  }

  /** A little-endian float32 NumPy .npy file (format 1.0, C order). */
  static void npy(Path file, long[] shape, float[] data) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText =
        shape.length == 1
            ? "(" + shape[0] + ",)"
            : "(" + dims.substring(0, dims.length() - 2) + ")";
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 1)
        .put((byte) 0)
        .putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    for (float v : data) {
      b.putFloat(v);
    }
    Files.createDirectories(file.getParent());
    Files.write(file, b.array());
  }
}
