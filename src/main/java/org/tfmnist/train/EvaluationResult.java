package org.tfmnist.train;

/**
 * What Keras' {@code model.evaluate(x, y)} returns, by name: the mean loss and the accuracy of the
 * model's current weights over {@code count} images.
 *
 * @param loss the mean of the per-image losses (the loss the model was compiled with)
 * @param accuracy the share of images whose most probable class is their label, in [0, 1]
 * @param count the images evaluated
 */
public record EvaluationResult(double loss, double accuracy, long count) {}
