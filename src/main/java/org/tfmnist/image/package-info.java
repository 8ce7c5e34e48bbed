/**
 * Internal: pictures of digits: reading PNG and JPEG files, preparing them as MNIST digits, drawing
 * them. Not part of the public API, kept out of the Javadoc site; it may change.
 */
package org.tfmnist.image;
