/**
 * Internal: the charts and digit grids the command line draws. Not part of the public API, kept out
 * of the Javadoc site; it may change.
 */
package org.tfmnist.viz;
