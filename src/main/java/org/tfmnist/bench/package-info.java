/**
 * Internal: the {@code tf-mnist bench} measurements (seconds an epoch, the kernel floor) and their
 * report. Not part of the public API, kept out of the Javadoc site; it may change.
 */
package org.tfmnist.bench;
