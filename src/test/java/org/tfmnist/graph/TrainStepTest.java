package org.tfmnist.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.GraphOperation;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;

/**
 * A training step is one session run with no feeds and no fetches: nothing the step op depends on
 * (through inputs or control inputs) is a placeholder, and a step run alone moves the counters and
 * the running metrics that the graph holds.
 */
@Timeout(60)
class TrainStepTest {

  @Test
  void aStepDependsOnNoPlaceholderAndKeepsItsFiguresInTheGraph() {
    Preset p = Presets.cnn();
    LabeledImages train = TestData.train().limit(256);
    try (TrainingGraph g = TrainingGraphTest.graph(p.model(), p.recipe(), 7, train)) {
      Set<String> placeholders = new TreeSet<>();
      Set<GraphOperation> seen = new HashSet<>();
      Deque<GraphOperation> todo = new ArrayDeque<>();
      todo.push(g.stepOp());
      while (!todo.isEmpty()) {
        GraphOperation op = todo.pop();
        if (!seen.add(op)) {
          continue;
        }
        if (op.type().equals("Placeholder")) {
          placeholders.add(op.name());
        }
        op.inputs().forEach(in -> todo.push((GraphOperation) in.op()));
        todo.addAll(op.controlInputs());
      }
      assertTrue(seen.size() > 100, "the step's ops: " + seen.size());
      assertEquals(Set.of(), placeholders, "a step needs no feed");

      g.startEpoch(0);
      g.step();
      g.step();
      Metrics m = g.running();
      assertEquals(2, m.globalStep());
      assertEquals(2L * p.recipe().batchSize(), m.count());
      assertTrue(m.finite() && m.accuracy() >= 0 && m.accuracy() <= 1, m.toString());
    }
  }
}
