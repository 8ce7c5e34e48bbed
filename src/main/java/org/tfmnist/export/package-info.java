/**
 * Internal: the SavedModel export and its reader, as TF Serving and Keras load them. Not part of
 * the public API, kept out of the Javadoc site; it may change.
 */
package org.tfmnist.export;
