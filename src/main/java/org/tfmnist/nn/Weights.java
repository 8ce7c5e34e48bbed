package org.tfmnist.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a layer's {@link Layer#build} declares its weights to: Keras' {@code add_weight}. */
public final class Weights {

  private final List<WeightSpec> params = new ArrayList<>();

  /** A trained weight: {@code self.add_weight(name, shape, initializer)}. */
  public void add(String name, long[] shape, Initializer initializer) {
    add(name, shape, initializer, true);
  }

  /** {@code self.add_weight(name, shape, initializer, trainable=...)}. */
  public void add(String name, long[] shape, Initializer initializer, boolean trainable) {
    for (WeightSpec p : params) {
      if (p.name().equals(name)) {
        throw new IllegalArgumentException("weight '" + name + "' declared twice");
      }
    }
    params.add(new WeightSpec(name, shape.clone(), initializer, trainable));
  }

  List<WeightSpec> params() {
    return Collections.unmodifiableList(params);
  }
}
