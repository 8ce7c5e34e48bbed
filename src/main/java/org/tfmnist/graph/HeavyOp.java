package org.tfmnist.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.OperationAttributeInspector;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * One of the arithmetic-heavy ops of a training step (a convolution, either of its gradients, or a
 * matrix product) with the shapes it runs at: what a kernel benchmark times alone to find the floor
 * under a step's time.
 *
 * <p>A convolution and its two gradients are described by the same three shapes: the layer's input
 * {@code x} (NHWC), its filter (HWIO) and its output {@code y}. {@code Conv2D} computes {@code y}
 * from {@code x} and the filter, {@code Conv2DBackpropInput} the gradient of {@code x} from the
 * filter and the gradient of {@code y}, {@code Conv2DBackpropFilter} the filter's gradient from
 * {@code x} and the gradient of {@code y}. A product {@code MatMul} is {@code x} times {@code
 * filter} (after the transposes), giving {@code y}.
 *
 * @param type {@code Conv2D}, {@code Conv2DBackpropInput}, {@code Conv2DBackpropFilter} or {@code
 *     MatMul}
 * @param name the node's name in the training graph
 * @param x a convolution's input, or the product's left matrix
 * @param filter a convolution's filter, or the product's right matrix
 * @param y a convolution's output, or the product
 * @param strides a convolution's strides (NHWC), empty for a product
 * @param padding a convolution's padding ({@code SAME} or {@code VALID}), empty for a product
 * @param transposeA a product's {@code transpose_a}
 * @param transposeB a product's {@code transpose_b}
 * @param bf16 whether the step runs it in bfloat16 (a mixed_bfloat16 policy), not float32
 */
public record HeavyOp(
    String type,
    String name,
    long[] x,
    long[] filter,
    long[] y,
    long[] strides,
    String padding,
    boolean transposeA,
    boolean transposeB,
    boolean bf16) {

  /**
   * The op types counted as heavy; {@code _FusedConv2D} (a convolution with its bias and ReLU, see
   * {@code nn.FusedConv2D}) counts as the {@code Conv2D} it contains.
   */
  private static final Set<String> TYPES =
      Set.of("Conv2D", "_FusedConv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "MatMul");

  /** Whether this op is part of the forward pass (it also runs at inference). */
  public boolean forward() {
    return !name.startsWith("gradients/");
  }

  /**
   * Floating-point operations of one run, 2 per multiply-add. A convolution and both its gradients
   * do the same multiply-adds: output pixels x kernel area x input channels x filters.
   */
  public double flops() {
    if (type.equals("MatMul")) {
      long m = transposeA ? x[1] : x[0];
      long k = transposeA ? x[0] : x[1];
      long n = transposeB ? filter[0] : filter[1];
      return 2.0 * m * k * n;
    }
    return 2.0 * y[0] * y[1] * y[2] * y[3] * filter[0] * filter[1] * filter[2];
  }

  /** The shapes in words, e.g. {@code 128x28x28x32 * 3x3x32x32 -> 128x28x28x32}. */
  public String shapes() {
    return dims(x) + " * " + dims(filter) + " -> " + dims(y);
  }

  private static String dims(long[] s) {
    StringBuilder b = new StringBuilder();
    for (long d : s) {
      b.append(b.length() == 0 ? "" : "x").append(d);
    }
    return b.toString();
  }

  /**
   * The heavy ops a run of {@code step} executes (those it depends on, through inputs or control
   * dependencies; a gradient the graph holds but the step never uses is left out), in graph order,
   * with an unknown batch dimension read as {@code batch}.
   */
  static List<HeavyOp> find(Graph graph, GraphOperation step, long batch) {
    Set<GraphOperation> needed = new HashSet<>();
    Deque<GraphOperation> todo = new ArrayDeque<>(List.of(step));
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      if (needed.add(op)) {
        op.inputs().forEach(in -> todo.push((GraphOperation) in.op()));
        todo.addAll(op.controlInputs());
      }
    }
    List<HeavyOp> found = new ArrayList<>();
    Iterator<GraphOperation> it = graph.operations();
    while (it.hasNext()) {
      GraphOperation op = it.next();
      String name = op.name();
      if (!TYPES.contains(op.type()) || !needed.contains(op)) {
        continue;
      }
      OperationAttributeInspector attrs = op.attributes();
      Shape x;
      Shape f;
      Shape y;
      switch (op.type()) {
        case "Conv2DBackpropInput" -> {
          x = op.output(0).shape();
          f = op.input(1).shape();
          y = op.input(2).shape();
        }
        case "Conv2DBackpropFilter" -> {
          x = op.input(0).shape();
          f = op.output(0).shape();
          y = op.input(2).shape();
        }
        default -> {
          x = op.input(0).shape();
          f = op.input(1).shape();
          y = op.output(0).shape();
        }
      }
      boolean conv = !op.type().equals("MatMul");
      found.add(
          new HeavyOp(
              op.type().equals("_FusedConv2D") ? "Conv2D" : op.type(),
              name,
              known(x, batch),
              known(f, batch),
              known(y, batch),
              conv ? attrs.getAttrIntList("strides") : new long[0],
              conv ? attrs.getAttrString("padding") : "",
              !conv && attrs.getAttrBool("transpose_a"),
              !conv && attrs.getAttrBool("transpose_b"),
              op.output(0).dataType() == DataType.DT_BFLOAT16));
    }
    return found;
  }

  private static long[] known(Shape s, long batch) {
    long[] d = s.asArray();
    for (int i = 0; i < d.length; i++) {
      if (d[i] < 0) {
        d[i] = batch;
      }
    }
    return d;
  }
}
