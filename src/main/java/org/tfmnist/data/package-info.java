/**
 * The data sets: {@link org.tfmnist.data.Mnist#load()} and {@link
 * org.tfmnist.data.Mnist#loadFashion()} give MNIST and Fashion-MNIST as {@code
 * keras.datasets.*.load_data()} does, fetched and checked on first use, as {@link
 * org.tfmnist.data.Datasets.Splits} of {@link org.tfmnist.data.LabeledImages}. {@link
 * org.tfmnist.data.DataFetcher} chooses where the files come from, {@link
 * org.tfmnist.data.DatasetSpec} names a data set, and a {@link org.tfmnist.data.BadInputException}
 * says in one line which file is wrong and why.
 *
 * <p>May import: {@code util}. Nothing here knows models, training or the command line.
 */
package org.tfmnist.data;
