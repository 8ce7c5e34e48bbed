package org.tfmnist.export;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Which signatures of a SavedModel compute the same thing. Keras' {@code model.export} and {@code
 * ExportArchive} save their first endpoint ({@code serve}, or a name of the user's) a second time
 * as {@code serving_default}, for TF Serving: TensorFlow writes two signature wrappers, each a
 * single call of one function. A request may name either, as TF Serving allows.
 */
public final class SignatureAliases {

  private SignatureAliases() {}

  /**
   * The names of the signatures that compute what signature {@code key} computes: the same input
   * and output names, each output made by a call of the same function ({@code key} included).
   */
  public static Set<String> of(GraphDef graph, Map<String, SignatureDef> sigs, String key) {
    Map<String, NodeDef> nodes = new HashMap<>();
    graph.getNodeList().forEach(n -> nodes.put(n.getName(), n));
    Map<String, FunctionDef> functions = new HashMap<>();
    graph
        .getLibrary()
        .getFunctionList()
        .forEach(fn -> functions.put(fn.getSignature().getName(), fn));
    List<Object> chosen = computation(sigs.get(key), nodes, functions);
    Set<String> names = new TreeSet<>();
    for (Map.Entry<String, SignatureDef> e : sigs.entrySet()) {
      if (e.getKey().equals(key) || computation(e.getValue(), nodes, functions).equals(chosen)) {
        names.add(e.getKey());
      }
    }
    return Collections.unmodifiableSet(names);
  }

  /** What a signature computes: its input names, and per output the function that makes it. */
  private static List<Object> computation(
      SignatureDef sig, Map<String, NodeDef> nodes, Map<String, FunctionDef> functions) {
    List<Object> c = new ArrayList<>(new TreeSet<>(sig.getInputsMap().keySet()));
    for (Map.Entry<String, TensorInfo> o : new TreeMap<>(sig.getOutputsMap()).entrySet()) {
      NodeDef n = nodes.get(o.getValue().getName().split(":")[0]);
      c.add(o.getKey());
      c.add(n == null ? o.getValue().getName() : calledFunction(n, functions));
    }
    return c;
  }

  /** The function a call node runs, looking through a wrapper that is one call of another. */
  private static String calledFunction(NodeDef n, Map<String, FunctionDef> functions) {
    if (!n.getOp().endsWith("PartitionedCall")) {
      return n.getName(); // not a call: only the very same node computes the same
    }
    String f = n.getAttrOrThrow("f").getFunc().getName();
    FunctionDef fn = functions.get(f);
    if (fn == null) {
      return f;
    }
    List<NodeDef> calls =
        fn.getNodeDefList().stream().filter(d -> d.getOp().endsWith("PartitionedCall")).toList();
    return calls.size() == 1 && fn.getNodeDefCount() <= 3
        ? calls.get(0).getAttrOrThrow("f").getFunc().getName()
        : f;
  }
}
