/**
 * Internal: the {@code tf-mnist predict} command's predictor and its output. Not part of the public
 * API, kept out of the Javadoc site; it may change.
 */
package org.tfmnist.predict;
