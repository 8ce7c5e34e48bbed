package org.tfmnist.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tfmnist.nn.WeightSnapshot;

/**
 * A test callback that records, at the end of every epoch, what the callbacks before it in the list
 * left: the model's weights (copied out of their tensors, which it closes), the learning rate the
 * next step uses and the global step. Also copies a model's weights on demand.
 */
public final class EpochRecorder extends Callback {

  /** One epoch's record. */
  public record Snapshot(
      int epoch, Map<String, float[]> weights, double learningRate, long globalStep) {}

  private final List<Snapshot> epochs = new ArrayList<>();

  @Override
  public void onEpochEnd(History.Epoch logs) {
    epochs.add(
        new Snapshot(
            logs.epoch(), weightsOf(model), model.learningRate(), model.graph().globalStep()));
  }

  public List<Snapshot> epochs() {
    return epochs;
  }

  /** The snapshot of epoch {@code epoch} (1-based). */
  public Snapshot epoch(int epoch) {
    for (Snapshot s : epochs) {
      if (s.epoch() == epoch) {
        return s;
      }
    }
    throw new IllegalArgumentException("no record of epoch " + epoch);
  }

  public List<Double> learningRates() {
    return epochs.stream().map(Snapshot::learningRate).toList();
  }

  /** {@code model.get_weights()} as plain arrays by variable name; the tensors are closed. */
  public static Map<String, float[]> weightsOf(Model model) {
    WeightSnapshot w = model.weights();
    try {
      Map<String, float[]> out = new LinkedHashMap<>();
      for (Map.Entry<String, TFloat32> e : w.asMap().entrySet()) {
        float[] a = new float[(int) e.getValue().size()];
        e.getValue().copyTo(DataBuffers.of(a, false, false));
        out.put(e.getKey(), a);
      }
      return out;
    } finally {
      w.close();
    }
  }

  /** Whether two weight maps hold the same variables with the same bits. */
  public static boolean sameBits(Map<String, float[]> a, Map<String, float[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (String k : a.keySet()) {
      if (!java.util.Arrays.equals(a.get(k), b.get(k))) {
        return false;
      }
    }
    return true;
  }
}
