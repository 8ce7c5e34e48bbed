package org.tfmnist.presets;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import org.tfmnist.nn.Sequential;
import org.tfmnist.train.Callback;
import org.tfmnist.train.Recipe;

/**
 * One of the ported tutorial scripts: the Keras model it builds and how it trains it.
 *
 * @param name the preset's name on the command line and under {@code models/}
 * @param tutorial the tutorial it ports, in a few words ("the Keras MLP tutorial")
 * @param description one line for {@code --help} and the README
 * @param callbacks the callbacks its script passes to {@code fit} (Nielsen's per-epoch print),
 *     given where to print
 */
public record Preset(
    String name,
    String tutorial,
    String description,
    Sequential model,
    Recipe recipe,
    Function<PrintStream, List<Callback>> callbacks) {

  /** A preset whose {@code fit} takes no callbacks of its own. */
  public Preset(String name, String tutorial, String description, Sequential model, Recipe recipe) {
    this(name, tutorial, description, model, recipe, out -> List.of());
  }

  /** The same preset trained with another recipe (flags of the command line). */
  public Preset withRecipe(Recipe r) {
    return new Preset(name, tutorial, description, model, r, callbacks);
  }
}
