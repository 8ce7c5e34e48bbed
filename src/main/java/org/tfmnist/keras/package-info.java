/**
 * Keras model files ({@code .keras}, and legacy {@code .h5} to read), behind {@code
 * Model.loadKeras} and {@code Model.saveKeras}. For a user this package holds one type, {@link
 * org.tfmnist.keras.KerasFileException}: a file that cannot be read or written, in one line naming
 * the file and the reason. The readers and writers themselves are internal.
 *
 * <p>May import: {@code nn}, {@code optim}, {@code graph} (the optimizer's state), {@code data} and
 * {@code util}.
 */
package org.tfmnist.keras;
