/**
 * What training and evaluation measure: {@link org.tfmnist.metrics.Metrics}, the loss and accuracy
 * a model reached over some images, as Keras' {@code evaluate} and progress bar report them.
 *
 * <p>May import: no other package of this library.
 */
package org.tfmnist.metrics;
