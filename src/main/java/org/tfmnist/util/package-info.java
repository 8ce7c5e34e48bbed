/**
 * Internal: files written atomically, native error messages and other helpers. Not part of the
 * public API, kept out of the Javadoc site; it may change.
 *
 * <p>May import: nothing of this library's: JDK and TensorFlow only (every other package may use
 * it).
 */
package org.tfmnist.util;
