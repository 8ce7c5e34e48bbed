/**
 * Internal: the test-set figures the command line prints and saves (loss, accuracy, confusion
 * matrix, probabilities as .npy). Not part of the public API, kept out of the Javadoc site; it may
 * change.
 *
 * <p>May import: {@code runtime}, {@code data} and {@code util}.
 */
package org.tfmnist.eval;
