/**
 * Keras model files ({@code .keras}, and legacy {@code .h5} to read), behind {@code
 * Model.loadKeras} and {@code Model.saveKeras}. For a user this package holds one type, {@link
 * org.tfmnist.keras.KerasFileException}: a file that cannot be read or written, in one line naming
 * the file and the reason. The readers and writers themselves are internal.
 */
package org.tfmnist.keras;
