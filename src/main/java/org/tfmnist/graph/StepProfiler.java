package org.tfmnist.graph;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Where a training step's time goes, for {@code tf-mnist bench}: the step traced by TensorFlow,
 * summed per op type, and the heavy ops (convolutions, their gradients, matrix products) found in
 * the step's graph at the shapes they run at.
 */
final class StepProfiler {

  private StepProfiler() {}

  /**
   * Runs {@code steps} runs of {@code step} with TensorFlow's full trace and returns the time spent
   * per op type (milliseconds per step, summed over the ops of that type, largest first). The steps
   * train the model like any other.
   */
  static Map<String, Double> profile(Graph graph, Session session, Op step, int steps) {
    Map<String, Double> byType = new HashMap<>();
    Map<String, String> typeOf = new HashMap<>();
    graph.operations().forEachRemaining(op -> typeOf.put(op.name(), op.type()));
    RunOptions trace =
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    for (int i = 0; i < steps; i++) {
      try (Result r = session.runner().addTarget(step).setOptions(trace).runAndFetchMetadata()) {
        RunMetadata md = r.getMetadata().orElseThrow();
        for (DeviceStepStats dev : md.getStepStats().getDevStatsList()) {
          for (NodeExecStats n : dev.getNodeStatsList()) {
            String name = n.getNodeName();
            int colon = name.indexOf(':');
            String base = colon < 0 ? name : name.substring(0, colon);
            String type =
                n.getTimelineLabel().contains(" = ")
                    ? n.getTimelineLabel().replaceAll("^.* = ([A-Za-z0-9_]+)\\(.*$", "$1")
                    : typeOf.getOrDefault(base, "?");
            double ms = (n.getOpEndRelMicros() - n.getOpStartRelMicros()) / 1000.0;
            byType.merge(type, ms / steps, Double::sum);
          }
        }
      }
    }
    Map<String, Double> sorted = new LinkedHashMap<>();
    byType.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** The heavy ops {@code step} depends on, at a batch of {@code batchSize}. */
  static List<HeavyOp> heavyOps(Graph graph, Op step, int batchSize) {
    return HeavyOp.find(graph, (GraphOperation) step.op(), batchSize);
  }
}
