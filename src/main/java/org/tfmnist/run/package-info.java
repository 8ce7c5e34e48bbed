/**
 * Internal: a training run as the command line starts it: options, checkpoints, metadata and Keras
 * files. Not part of the public API, kept out of the Javadoc site; it may change.
 *
 * <p>May import: {@code train}, {@code train.callbacks}, {@code presets}, {@code keras}, {@code
 * export}, {@code runtime}, {@code eval}, {@code nn}, {@code optim}, {@code metrics}, {@code data}
 * and {@code util}.
 */
package org.tfmnist.run;
