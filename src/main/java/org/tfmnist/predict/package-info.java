/**
 * Internal: the {@code tf-mnist predict} command's predictor and its output. Not part of the public
 * API, kept out of the Javadoc site; it may change.
 *
 * <p>May import: {@code runtime}, {@code image}, {@code data} and {@code util}.
 */
package org.tfmnist.predict;
