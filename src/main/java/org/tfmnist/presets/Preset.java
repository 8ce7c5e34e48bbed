package org.tfmnist.presets;

import org.tfmnist.nn.Sequential;
import org.tfmnist.train.Recipe;

/**
 * One of the ported tutorial scripts: the Keras model it builds and how it trains it.
 *
 * @param name the preset's name on the command line and under {@code models/}
 * @param tutorial the tutorial it ports, in a few words ("the Keras MLP tutorial")
 * @param description one line for {@code --help} and the README
 */
public record Preset(String name, String tutorial, String description, Sequential model,
    Recipe recipe) {}
