package org.tfmnist.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.metrics.Metrics;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.nn.WeightSnapshot;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;
import org.tfmnist.train.History;
import org.tfmnist.train.Recipe;

/** Training on 5,000 MNIST images for one epoch, validated on 1,000 test images. */
class TrainingGraphTest {

  @TempDir Path tmp;

  static final String VAL = "val";

  static TrainingGraph graph(Sequential model, Recipe r, long seed, LabeledImages train) {
    return new TrainingGraph(
        new TrainingGraph.Spec(
            model,
            r.loss(),
            r.optimizer(),
            r.batchSize(),
            seed,
            TrainingGraph.DEFAULT_EVAL_CHUNK,
            r.dtypePolicy()),
        train,
        Map.of(VAL, TestData.test()),
        null);
  }

  /** The epochs of {@code r} straight on the graph: shuffle, steps, the epoch's figures. */
  static History fit(TrainingGraph g, Recipe r) {
    History h = new History();
    for (int e = 0; e < r.epochs(); e++) {
      g.startEpoch(e);
      for (int s = 0; s < g.stepsPerEpoch(); s++) {
        g.step();
      }
      Metrics m = g.running();
      Metrics v = g.evaluate(VAL);
      h.add(new History.Epoch(e + 1, m.loss(), m.accuracy(), v.loss(), v.accuracy(), 0));
    }
    return h;
  }

  @Test
  void evaluationRunsKeepTheLargestActivationInCache() {
    // conv2's output is 24 x 24 x 64 floats an image: 113 images make 16 MiB
    assertEquals(113, TrainingGraph.evalChunk(Presets.cnn().model()));
    // cnn-best's first convolutions keep 28 x 28 x 32 ('same' padding)
    assertEquals(167, TrainingGraph.evalChunk(Presets.cnnBest().model()));
    assertEquals(1000, TrainingGraph.evalChunk(Presets.mlp().model()));
  }

  @Test
  void theKerasMlpTutorialsModelLearnsInOneEpoch() {
    Preset p = Presets.mlp();
    Recipe r = p.recipe().withEpochs(1);
    try (TrainingGraph g = graph(p.model(), r, 1, TestData.train())) {
      Metrics before = g.evaluate(VAL);
      assertEquals(0.1, before.accuracy(), 0.08, "untrained: about chance");
      assertEquals(Math.log(10), before.loss(), 0.3, "untrained: loss about ln 10");
      assertEquals(40, g.stepsPerEpoch());
      g.startEpoch(0);
      g.step();
      double firstBatchLoss = g.running().loss();
      for (int s = 1; s < g.stepsPerEpoch(); s++) {
        g.step();
      }
      Metrics epoch = g.running();
      assertEquals(5000, epoch.count(), "every image seen once, the last batch partial");
      assertTrue(epoch.loss() < firstBatchLoss, "the epoch's mean loss is below the first batch's");
      Metrics after = g.evaluate(VAL);
      assertTrue(after.loss() < 0.5 * before.loss(), after.toString());
      assertTrue(after.accuracy() > 0.85, after.toString());
      assertEquals(40, g.globalStep());
    }
  }

  @Test
  void theSameSeedTrainsTheSameModel() {
    Preset p = Presets.mlpDropout();
    Recipe r = p.recipe().withEpochs(1);
    LabeledImages small = TestData.mnist().train().first(2000);
    History a;
    History b;
    try (TrainingGraph g = graph(p.model(), r, 7, small)) {
      a = fit(g, r);
    }
    try (TrainingGraph g = graph(p.model(), r, 7, small)) {
      b = fit(g, r);
    }
    assertEquals(a.last().loss(), b.last().loss(), 1e-6);
    assertEquals(a.last().valAccuracy(), b.last().valAccuracy(), 1e-9);
    try (TrainingGraph g = graph(p.model(), r, 8, small)) {
      History c = fit(g, r);
      assertTrue(Math.abs(c.last().loss() - a.last().loss()) > 1e-6, "another seed differs");
    }
  }

  /** Dropout's masks and scaling in training are tested on the layer, in DropoutTest. */
  @Test
  void evaluationOfADropoutModelIsDeterministic() {
    Preset p = Presets.mlpDropout();
    try (TrainingGraph g = graph(p.model(), p.recipe(), 3, TestData.mnist().train().first(1000))) {
      float[][] a = g.probabilities(VAL);
      float[][] b = g.probabilities(VAL);
      for (int i = 0; i < a.length; i++) {
        assertArrayEquals(a[i], b[i], "inference is deterministic");
      }
    }
  }

  @Test
  void nielsensNetworkLearnsWithQuadraticCostAndSgd() {
    Preset p = Presets.nielsen();
    Recipe r = p.recipe().withEpochs(1).withOptimizer(OptimizerSpec.sgd().withLearningRate(3.0));
    try (TrainingGraph g = graph(p.model(), r, 1, TestData.train())) {
      Metrics before = g.evaluate(VAL);
      History h = fit(g, r);
      assertEquals(500, g.stepsPerEpoch());
      assertTrue(h.last().valLoss() < 0.7 * before.loss(), h.last() + " from " + before);
      assertTrue(h.last().valAccuracy() > 0.5, h.last().toString());
      assertEquals(Loss.QUADRATIC, r.loss());
    }
  }

  /** Every weight's values, by variable name. */
  private static Map<String, float[]> weights(TrainingGraph g) {
    WeightSnapshot w = g.weightValues();
    try {
      Map<String, float[]> out = new LinkedHashMap<>();
      w.asMap()
          .forEach(
              (name, t) -> {
                float[] f = new float[(int) t.size()];
                t.asRawTensor().data().asFloats().read(f);
                out.put(name, f);
              });
      return out;
    } finally {
      w.close();
    }
  }

  @Test
  void aCheckpointRestoresTheWeightsAndTheOptimizer() {
    // RMSprop: each weight's mean-square accumulator is optimizer state the checkpoint must keep
    Preset p = Presets.mlp();
    Recipe r = p.recipe().withEpochs(1);
    assertEquals(OptimizerSpec.Kind.RMSPROP, r.optimizer().kind());
    LabeledImages small = TestData.mnist().train().first(2000);
    String prefix = tmp.resolve("ckpt").toString();
    try (TrainingGraph original = graph(p.model(), r, 1, small)) {
      fit(original, r);
      original.save(prefix);
      float[][] trained = original.probabilities(VAL);
      // a graph initialised from another seed computes the trained model once restored
      try (TrainingGraph other = graph(p.model(), r, 99, small)) {
        other.restore(prefix);
        float[][] restored = other.probabilities(VAL);
        for (int i = 0; i < trained.length; i++) {
          assertArrayEquals(trained[i], restored[i]);
        }
      }
      // One more step on the same batch (same seed, same epoch: the same permutation) in the
      // original and in a restored graph gives the same weights, bit for bit, only if the
      // restored optimizer state is the original's: with fresh accumulators the step differs.
      try (TrainingGraph restored = graph(p.model(), r, 1, small)) {
        restored.restore(prefix);
        restored.setGlobalStep(original.globalStep());
        Map<String, float[]> before = weights(original);
        original.startEpoch(1);
        original.step();
        restored.startEpoch(1);
        restored.step();
        Map<String, float[]> a = weights(original);
        Map<String, float[]> b = weights(restored);
        assertEquals(
            List.of("dense_kernel", "dense_bias", "dense_1_kernel", "dense_1_bias"),
            List.copyOf(a.keySet()));
        for (String name : a.keySet()) {
          assertFalse(Arrays.equals(before.get(name), a.get(name)), name + " moved in the step");
          // assertArrayEquals on floats compares their bits
          assertArrayEquals(a.get(name), b.get(name), name);
        }
        assertEquals(original.globalStep(), restored.globalStep());
      }
    }
    WeightSnapshot w = CheckpointWeights.read(p.model(), prefix);
    try {
      assertEquals(4, w.size());
      assertEquals(784 * 512, w.get("dense_kernel").size());
    } finally {
      w.close();
    }
  }
}
