package org.tfmnist.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * Keras' {@code Sequential}: an input shape and a stack of layers. Building it names the layers as
 * Keras does (dense, dense_1, ...), infers every output shape and lists the parameters; it holds no
 * graph, so one model builds both the training graph and the serving graph.
 */
public final class Sequential {

  /** A built layer: its name, the layer, its output shape and its parameters. */
  public record BuiltLayer(
      String name, Layer layer, long[] inputShape, long[] outputShape, List<WeightSpec> params) {

    /** The number of this layer's parameters, trained or not (the summary's "Param #"). */
    public long paramCount() {
      return params.stream().mapToLong(WeightSpec::size).sum();
    }

    /** The parameters the optimizer trains (Keras' "Trainable params"). */
    public long trainableCount() {
      return params.stream().filter(WeightSpec::trainable).mapToLong(WeightSpec::size).sum();
    }

    /** The variable name of one of this layer's parameters ("dense_1_kernel"). */
    public String variableName(WeightSpec p) {
      return name + "_" + p.name();
    }
  }

  /** A declared weight as a model variable: its variable name, its spec, and its layer's index. */
  public record WeightVariable(String variableName, WeightSpec spec, int layerIndex) {}

  /**
   * The model's output; {@code logits} are the softmax's input when the output is a softmax (as
   * Keras finds them, so the loss can use them), else null; both float32 whatever the policy;
   * {@code updates} are the training step's updates of non-trained weights (moving statistics),
   * empty at inference.
   */
  public record Forward(Operand<TFloat32> output, Operand<TFloat32> logits, List<Op> updates) {}

  private final String name;
  private final long[] inputShape;
  private final List<BuiltLayer> built;
  private final List<WeightVariable> weights;

  private Sequential(String name, long[] inputShape, List<Layer> layers, List<String> names) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a Sequential model needs at least one layer");
    }
    this.name = name;
    this.inputShape = inputShape.clone();
    Map<String, Integer> counts = new HashMap<>();
    List<BuiltLayer> b = new ArrayList<>();
    List<WeightVariable> w = new ArrayList<>();
    long[] shape = this.inputShape;
    for (Layer layer : layers) {
      int n = counts.merge(layer.baseName(), 1, Integer::sum);
      String given = names == null ? null : names.get(b.size());
      String layerName =
          given != null ? given : n == 1 ? layer.baseName() : layer.baseName() + "_" + (n - 1);
      long[] out;
      try {
        out = layer.outputShape(shape);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            layerName + " (" + layer.kerasType() + "): " + e.getMessage(), e);
      }
      Weights declared = new Weights();
      layer.build(shape, declared);
      List<WeightSpec> params = declared.params();
      BuiltLayer bl = new BuiltLayer(layerName, layer, shape, out, params);
      for (WeightSpec p : params) {
        w.add(new WeightVariable(bl.variableName(p), p, b.size()));
      }
      b.add(bl);
      shape = out;
    }
    this.built = Collections.unmodifiableList(b);
    this.weights = Collections.unmodifiableList(w);
  }

  /**
   * {@code Sequential(name, input shape, layers...)}, as {@code keras.Sequential([Input, ...])}.
   */
  public static Sequential of(String name, long[] inputShape, Layer... layers) {
    return new Sequential(name, inputShape, List.of(layers), null);
  }

  /**
   * As {@link #of(String, long[], Layer...)}, with each layer's name given (a null name is made as
   * Keras makes it): the names of a Keras file's layers, which its weights are stored under.
   */
  public static Sequential of(
      String name, long[] inputShape, List<Layer> layers, List<String> layerNames) {
    if (layerNames.size() != layers.size()) {
      throw new IllegalArgumentException(
          layers.size() + " layers but " + layerNames.size() + " names");
    }
    if (layerNames.stream().filter(java.util.Objects::nonNull).distinct().count()
        != layerNames.stream().filter(java.util.Objects::nonNull).count()) {
      throw new IllegalArgumentException("two layers have the same name: " + layerNames);
    }
    return new Sequential(name, inputShape, List.copyOf(layers), new ArrayList<>(layerNames));
  }

  /** Input(28, 28) reads like {@code keras.Input(shape=(28, 28))}. */
  public static long[] input(long... shape) {
    return shape;
  }

  /** The model's name (Keras' {@code name}), as the summary's first line shows it. */
  public String name() {
    return name;
  }

  /** The shape of one input, without the batch dimension (Keras' {@code Input(shape)}). */
  public long[] inputShape() {
    return inputShape.clone();
  }

  /** The shape of one output, without the batch dimension: the last layer's. */
  public long[] outputShape() {
    return built.get(built.size() - 1).outputShape().clone();
  }

  /** The layers in order, each with its name, shapes and parameters. */
  public List<BuiltLayer> layers() {
    return built;
  }

  /** Every parameter of every layer as a model variable, in the order of the layers. */
  public List<WeightVariable> weights() {
    return weights;
  }

  /** The number of parameters, trained or not (Keras' "Total params"). */
  public long paramCount() {
    return built.stream().mapToLong(BuiltLayer::paramCount).sum();
  }

  /** The number of parameters the optimizer trains (Keras' "Trainable params"). */
  public long trainableCount() {
    return built.stream().mapToLong(BuiltLayer::trainableCount).sum();
  }

  /**
   * The forward pass of a batch {@code x} [batch, ...inputShape]. {@code values} maps each {@link
   * WeightVariable#variableName()} to its current value in the graph being built.
   */
  public Forward forward(
      Ops tf, Operand<TFloat32> x, Map<String, Operand<TFloat32>> values, Context ctx) {
    return forward(tf, x, values, ctx, ctx.policy().compute());
  }

  /**
   * The pass with every layer computing in {@code type}: the input cast to it, each layer's weights
   * cast as it reads them; under a mixed policy the output softmax and the logits the loss takes
   * are float32 again, as Keras' mixed-precision guide advises.
   */
  private <T extends TFloating> Forward forward(
      Ops tf,
      Operand<TFloat32> x,
      Map<String, Operand<TFloat32>> values,
      Context ctx,
      Class<T> type) {
    Operand<T> h = DTypePolicy.autocast(tf, x, type);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < built.size(); i++) {
      BuiltLayer b = built.get(i);
      Map<String, Operand<TFloat32>> w = new HashMap<>();
      Map<String, String> names = new HashMap<>();
      for (WeightSpec p : b.params()) {
        Operand<TFloat32> v = values.get(b.variableName(p));
        if (v == null) {
          throw new IllegalArgumentException("no value for weight " + b.variableName(p));
        }
        w.put(p.name(), v);
        names.put(p.name(), b.variableName(p));
      }
      Ops named = tf.withSubScope(b.name());
      h = b.layer().call(named, h, new Call(named, b.name(), ctx, i, w, names, updates));
    }
    Operand<T> logits = logitsOf(h);
    if (logits == null || type == TFloat32.class) {
      return new Forward(
          DTypePolicy.autocast(tf, h, TFloat32.class),
          logits == null ? null : DTypePolicy.autocast(tf, logits, TFloat32.class),
          List.copyOf(updates));
    }
    Ops out = tf.withSubScope("float32_output");
    Operand<TFloat32> z = DTypePolicy.autocast(out, logits, TFloat32.class);
    return new Forward(out.nn.softmax(z), z, List.copyOf(updates));
  }

  /** The input of a softmax op, as Keras' cross-entropy finds it ({@code output.op.inputs[0]}). */
  private static <T extends TFloating> Operand<T> logitsOf(Operand<T> output) {
    if (output.op() instanceof GraphOperation op && op.type().equals("Softmax")) {
      @SuppressWarnings("unchecked")
      Operand<T> logits = (Operand<T>) op.input(0);
      return logits;
    }
    return null;
  }

  /** The Keras summary table: layer (type), output shape, param #, and the totals. */
  public String summary() {
    int c1 = 29;
    int c2 = 26;
    for (BuiltLayer b : built) {
      c1 = Math.max(c1, b.name().length() + b.layer().kerasType().length() + 5);
      c2 = Math.max(c2, Shapes.keras(b.outputShape()).length() + 2);
    }
    int width = c1 + c2 + 10;
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(name).append("\"\n");
    sb.append("_".repeat(width)).append('\n');
    sb.append(pad(" Layer (type)", c1)).append(pad("Output Shape", c2)).append("Param #\n");
    sb.append("=".repeat(width)).append('\n');
    for (int i = 0; i < built.size(); i++) {
      BuiltLayer b = built.get(i);
      sb.append(pad(" " + b.name() + " (" + b.layer().kerasType() + ")", c1))
          .append(pad(Shapes.keras(b.outputShape()), c2))
          .append(String.format(Locale.ROOT, "%,d", b.paramCount()))
          .append('\n');
      sb.append(i == built.size() - 1 ? "=".repeat(width) : "").append('\n');
    }
    long total = paramCount();
    long trainable = trainableCount();
    sb.append(String.format(Locale.ROOT, "Total params: %,d (%s)%n", total, bytes(total * 4)));
    sb.append(
        String.format(
            Locale.ROOT, "Trainable params: %,d (%s)%n", trainable, bytes(trainable * 4)));
    sb.append(
        String.format(
            Locale.ROOT,
            "Non-trainable params: %,d (%s)%n",
            total - trainable,
            bytes((total - trainable) * 4)));
    sb.append("_".repeat(width)).append('\n');
    return sb.toString();
  }

  /** Keras' byte sizes: 1.55 MB means 1.55 MiB. */
  static String bytes(long n) {
    if (n < 1024) {
      return String.format(Locale.ROOT, "%.2f B", (double) n);
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.2f KB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.2f MB", n / (1024.0 * 1024.0));
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
  }

  /** The layers' names, types and configs, for the training metadata. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    for (BuiltLayer b : built) {
      m.put(b.name(), b.layer().kerasType() + "(" + b.layer().config() + ")");
    }
    return m;
  }
}
