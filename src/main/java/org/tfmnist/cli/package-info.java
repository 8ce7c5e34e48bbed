/**
 * Internal: the {@code tf-mnist} command line, its commands and options. Not part of the public
 * API, kept out of the Javadoc site; it may change.
 *
 * <p>May import: every package: it is the top layer, and nothing imports it.
 */
package org.tfmnist.cli;
