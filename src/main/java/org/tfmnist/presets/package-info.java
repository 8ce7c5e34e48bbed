/**
 * Internal: the models of the classic Keras MNIST scripts that {@code tf-mnist train --preset}
 * trains. Not part of the public API, kept out of the Javadoc site; it may change.
 */
package org.tfmnist.presets;
