/**
 * Keras' callbacks for {@code Model.fit}, with Keras' defaults: {@link
 * org.tfmnist.train.callbacks.EarlyStopping}, {@link org.tfmnist.train.callbacks.ModelCheckpoint},
 * {@link org.tfmnist.train.callbacks.BackupAndRestore}, {@link
 * org.tfmnist.train.callbacks.ReduceLROnPlateau}, {@link
 * org.tfmnist.train.callbacks.LearningRateScheduler}, {@link
 * org.tfmnist.train.callbacks.CSVLogger}, {@link org.tfmnist.train.callbacks.TensorBoard}, {@link
 * org.tfmnist.train.callbacks.TerminateOnNaN} and {@link
 * org.tfmnist.train.callbacks.ProgbarLogger}; a {@link org.tfmnist.train.callbacks.Monitor} names
 * the figure a callback watches ({@code "val_loss"}).
 *
 * <p>May import: {@code train}, {@code metrics}, {@code nn}, {@code keras}, {@code graph}, {@code
 * data} and {@code util}.
 */
package org.tfmnist.train.callbacks;
