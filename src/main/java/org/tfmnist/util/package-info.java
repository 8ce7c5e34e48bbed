/**
 * Internal: files written atomically, native error messages and other helpers. Not part of the
 * public API, kept out of the Javadoc site; it may change.
 */
package org.tfmnist.util;
