/**
 * A model's life: {@link org.tfmnist.train.Model} compiles a {@code Sequential}, fits it (returning
 * a {@link org.tfmnist.train.History}), evaluates it ({@link org.tfmnist.metrics.Metrics}),
 * predicts, saves and loads Keras files and exports a SavedModel. {@link
 * org.tfmnist.train.Callback} is the base of Keras-style callbacks (those Keras has are in {@code
 * org.tfmnist.train.callbacks}); training that cannot go on throws a {@link
 * org.tfmnist.train.TrainingException}.
 *
 * <p>May import: {@code nn}, {@code optim}, {@code metrics}, {@code graph}, {@code data}, {@code
 * export}, {@code keras}, {@code image} (pictures to predict), {@code util}, and its own {@code
 * train.callbacks}.
 */
package org.tfmnist.train;
