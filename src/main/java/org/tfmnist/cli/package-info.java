/**
 * Internal: the {@code tf-mnist} command line, its commands and options. Not part of the public
 * API, kept out of the Javadoc site; it may change.
 */
package org.tfmnist.cli;
