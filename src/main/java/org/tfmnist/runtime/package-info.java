/**
 * The runtime side of a SavedModel: {@link org.tfmnist.runtime.ServingModel} loads one (ours, or a
 * Keras export), finds its serving signature and runs image batches through it. It is what {@code
 * predict}, {@code evaluate}, {@code bench} and the server load; writing a SavedModel is {@code
 * export}'s job.
 *
 * <p>May import: {@code export} (the SavedModel format: directories, file checks, signatures,
 * outputs), {@code data}, {@code util} and TensorFlow. Nothing here knows the server, the CLI or
 * training.
 */
package org.tfmnist.runtime;
