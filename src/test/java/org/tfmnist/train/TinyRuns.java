package org.tfmnist.train;

import org.tfmnist.TestData;
import org.tfmnist.data.LabeledImages;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;

/** The tiny runs the model and callback tests train: the MLP on 1,000 images, 500 to validate. */
public final class TinyRuns {

  private TinyRuns() {}

  public static LabeledImages train() {
    return TestData.mnist().train().first(1000);
  }

  public static LabeledImages validation() {
    return TestData.mnist().test().first(500);
  }

  /**
   * The MLP preset with random seed {@code seed}, compiled with {@code optimizer} (null: its own).
   */
  public static Model mlp(OptimizerSpec optimizer, long seed) {
    Preset p = Presets.mlp();
    Model m = new Model(p.model(), seed, null);
    m.compile(optimizer != null ? optimizer : p.recipe().optimizer(), p.recipe().loss());
    return m;
  }
}
