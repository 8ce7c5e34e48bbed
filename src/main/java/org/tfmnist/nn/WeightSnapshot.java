package org.tfmnist.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * A copy of a model's weights, by variable name ("{layer}_{weight}", e.g. {@code dense_kernel}), in
 * the model's order: what Keras' {@code model.get_weights()} returns and {@code set_weights} takes.
 *
 * <p>Ownership: the snapshot owns its tensors, which hold native memory; whoever receives a
 * snapshot closes it once (try-with-resources), and closing it closes every tensor. The tensors
 * seen through {@link #get} and {@link #asMap} belong to the snapshot: read them, pass them on, but
 * neither close them nor keep them past the snapshot's {@link #close}. A snapshot is a copy: later
 * training changes the model, never the snapshot.
 */
public final class WeightSnapshot implements AutoCloseable {

  private final Map<String, TFloat32> tensors;
  private boolean closed;

  private WeightSnapshot(Map<String, TFloat32> tensors) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /**
   * A snapshot that takes ownership of {@code tensors} (by variable name, in order): the caller
   * closes the snapshot, not the tensors.
   */
  public static WeightSnapshot of(Map<String, TFloat32> tensors) {
    return new WeightSnapshot(tensors);
  }

  /** The tensor of weight {@code name}, owned by this snapshot. */
  public TFloat32 get(String name) {
    TFloat32 t = open().get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "no weight " + name + " (weights: " + tensors.keySet() + ")");
    }
    return t;
  }

  /** Whether the snapshot holds weight {@code name}. */
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** The weights' variable names, in the model's order. */
  public Set<String> names() {
    return tensors.keySet();
  }

  /** The weights held. */
  public int size() {
    return tensors.size();
  }

  /** A read-only view by variable name, in order; the tensors stay the snapshot's. */
  public Map<String, TFloat32> asMap() {
    return open();
  }

  private Map<String, TFloat32> open() {
    if (closed) {
      throw new IllegalStateException("the weight snapshot is closed");
    }
    return tensors;
  }

  /** Closes every tensor; later calls do nothing. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      tensors.values().forEach(Tensor::close);
    }
  }
}
