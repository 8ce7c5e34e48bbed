/**
 * Internal: the models of the classic Keras MNIST scripts that {@code tf-mnist train --preset}
 * trains. Not part of the public API, kept out of the Javadoc site; it may change.
 *
 * <p>May import: {@code nn}, {@code optim}, {@code train} and {@code train.callbacks}: a preset is
 * a model and its recipe.
 */
package org.tfmnist.presets;
