/**
 * Internal: the {@code tf-mnist serve} HTTP server (TF Serving's REST API and the drawing page).
 * Not part of the public API, kept out of the Javadoc site; it may change.
 */
package org.tfmnist.serve;
