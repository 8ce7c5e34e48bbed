/**
 * Internal: pictures of digits: reading PNG and JPEG files, preparing them as MNIST digits, drawing
 * them. Not part of the public API, kept out of the Javadoc site; it may change.
 *
 * <p>May import: {@code data} and {@code util}.
 */
package org.tfmnist.image;
