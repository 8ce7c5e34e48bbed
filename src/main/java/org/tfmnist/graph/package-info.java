/**
 * Internal: the training graph, one TensorFlow graph holding the data sets, the forward and
 * backward passes, the optimizer's step and the metrics, so that a step is one session run with no
 * feeds and no fetches. Not part of the public API, kept out of the Javadoc site; it may change.
 *
 * <p>May import: {@code nn}, {@code optim}, {@code metrics}, {@code data} and {@code util}.
 */
package org.tfmnist.graph;
