/**
 * Internal: the charts and digit grids the command line draws. Not part of the public API, kept out
 * of the Javadoc site; it may change.
 *
 * <p>May import: {@code train} (histories), {@code runtime}, {@code data} and {@code util}.
 */
package org.tfmnist.viz;
