package org.tfmnist.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tfmnist.nn.Sequential;

/**
 * A model's weights as the variables of a training graph and of its checkpoints: one variable per
 * weight the layers declare, named "{layer}_{weight}", in the model's order. The training graph and
 * the checkpoint reader build them here, so a checkpoint always reads back into the same names and
 * shapes. (The serving graph holds resource variables under the names Python's loader expects;
 * {@code SavedModelExporter} builds those from the same list of weights.)
 */
final class ModelVariables {

  private ModelVariables() {}

  /** The model's weights as reference variables (what TF Java's optimizers update), in order. */
  static Map<String, Variable<TFloat32>> create(Ops tf, Sequential model) {
    Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
    for (Sequential.WeightVariable w : model.weights()) {
      vars.put(
          w.variableName(),
          tf.withName(w.variableName()).variable(Shape.of(w.spec().shape()), TFloat32.class));
    }
    return vars;
  }
}
