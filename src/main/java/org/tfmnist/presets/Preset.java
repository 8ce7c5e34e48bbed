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
 * @param definition null for the built-in presets; for a model imported from a Keras file, its
 *     Keras {@code config.json}, which its checkpoints record so that they alone rebuild it
 */
public record Preset(
    String name,
    String tutorial,
    String description,
    Sequential model,
    Recipe recipe,
    Function<PrintStream, List<Callback>> callbacks,
    String definition) {

  /** A built-in preset. */
  public Preset(
      String name,
      String tutorial,
      String description,
      Sequential model,
      Recipe recipe,
      Function<PrintStream, List<Callback>> callbacks) {
    this(name, tutorial, description, model, recipe, callbacks, null);
  }

  /** A preset whose {@code fit} takes no callbacks of its own. */
  public Preset(String name, String tutorial, String description, Sequential model, Recipe recipe) {
    this(name, tutorial, description, model, recipe, out -> List.of());
  }

  /** A model imported from a Keras file, trained as {@code recipe} says. */
  public static Preset imported(String name, Sequential model, Recipe recipe, String definition) {
    return new Preset(
        name,
        "a Keras model file",
        "imported from a Keras model file",
        model,
        recipe,
        out -> List.of(),
        definition);
  }

  /** The same preset trained with another recipe (flags of the command line). */
  public Preset withRecipe(Recipe r) {
    return new Preset(name, tutorial, description, model, r, callbacks, definition);
  }
}
