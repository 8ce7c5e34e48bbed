/**
 * Internal: the SavedModel export and its reader, as TF Serving and Keras load them. Not part of
 * the public API, kept out of the Javadoc site; it may change.
 *
 * <p>May import: {@code nn}, {@code data} and {@code util}: it writes a network's weights as a
 * SavedModel.
 */
package org.tfmnist.export;
