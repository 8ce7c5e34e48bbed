package org.tfmnist.presets;

import org.tfmnist.nn.Sequential;
import org.tfmnist.train.Recipe;

/**
 * One of the seeds' scripts: the Keras model it builds and how it trains it.
 *
 * @param name the preset's name on the command line and under {@code models/}
 * @param seed which tutorial in {@code shared/seeds/} it ports
 * @param description one line for {@code --help} and the README
 */
public record Preset(String name, String seed, String description, Sequential model,
    Recipe recipe) {}
