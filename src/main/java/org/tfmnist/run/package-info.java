/**
 * Internal: a training run as the command line starts it: options, checkpoints, metadata and Keras
 * files. Not part of the public API, kept out of the Javadoc site; it may change.
 */
package org.tfmnist.run;
