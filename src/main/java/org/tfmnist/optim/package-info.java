/**
 * Optimizers and learning-rate schedules, with Keras' defaults: {@link
 * org.tfmnist.optim.OptimizerSpec} ({@code OptimizerSpec.adam()}, {@code sgd()}, {@code rmsprop()},
 * {@code adadelta()}, then {@code with...} for each hyper-parameter), and the schedules of {@link
 * org.tfmnist.optim.LearningRate} ({@code ExponentialDecay}, {@code CosineDecay}). Pass the spec to
 * {@code Model.compile}.
 *
 * <p>May import: nothing of this library's but TensorFlow's ops and framework optimizers.
 */
package org.tfmnist.optim;
