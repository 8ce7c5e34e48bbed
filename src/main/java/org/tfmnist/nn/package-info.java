/**
 * The network, as Keras defines it: {@link org.tfmnist.nn.Sequential} and its layers ({@link
 * org.tfmnist.nn.Dense}, {@link org.tfmnist.nn.Conv2D}, {@link org.tfmnist.nn.MaxPooling2D}, {@link
 * org.tfmnist.nn.BatchNormalization}, {@link org.tfmnist.nn.Dropout}, the random augmentation
 * layers...), with Keras' names and defaults; the {@link org.tfmnist.nn.Activation} functions, the
 * {@link org.tfmnist.nn.Loss} functions, {@link org.tfmnist.nn.Padding}, the initializers ({@link
 * org.tfmnist.nn.Initializers}) and the {@link org.tfmnist.nn.DTypePolicy} (mixed precision).
 *
 * <p>A {@link org.tfmnist.nn.Sequential} only describes the network; {@code
 * org.tfmnist.train.Model} trains it. A layer of your own implements {@link org.tfmnist.nn.Layer}:
 * it declares its weights in {@code build} ({@link org.tfmnist.nn.Weights}) and computes its output
 * in {@code call} ({@link org.tfmnist.nn.Call}). A model's weights travel as a {@link
 * org.tfmnist.nn.WeightSnapshot} (Keras' {@code get_weights()}), which its receiver closes.
 *
 * <p>May import: nothing of this library's but TensorFlow's ops: layers know neither data sets nor
 * training.
 */
package org.tfmnist.nn;
