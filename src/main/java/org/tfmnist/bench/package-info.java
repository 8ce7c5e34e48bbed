/**
 * Internal: the {@code tf-mnist bench} measurements (seconds an epoch, the kernel floor) and their
 * report. Not part of the public API, kept out of the Javadoc site; it may change.
 *
 * <p>May import: {@code train}, {@code train.callbacks}, {@code graph}, {@code presets}, {@code
 * runtime}, {@code eval}, {@code nn}, {@code data} and {@code util}.
 */
package org.tfmnist.bench;
