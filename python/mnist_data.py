"""MNIST from tf-mnist's verified data directory (data/mnist/*-ubyte), as NumPy arrays."""
import os

import numpy as np


def _idx(path, header):
    with open(path, "rb") as f:
        return np.frombuffer(f.read()[header:], np.uint8)


def load(data_dir="data", dataset="mnist"):
    """(x_train, y_train), (x_test, y_test): uint8 images [n, 28, 28] and labels [n]."""
    d = os.path.join(data_dir, dataset)
    gz = dataset == "fashion"
    if gz:
        import gzip

        def read(name, header):
            with gzip.open(os.path.join(d, name + ".gz"), "rb") as f:
                return np.frombuffer(f.read()[header:], np.uint8)
    else:
        def read(name, header):
            return _idx(os.path.join(d, name), header)
    x_train = read("train-images-idx3-ubyte", 16).reshape(-1, 28, 28)
    y_train = read("train-labels-idx1-ubyte", 8)
    x_test = read("t10k-images-idx3-ubyte", 16).reshape(-1, 28, 28)
    y_test = read("t10k-labels-idx1-ubyte", 8)
    return (x_train, y_train), (x_test, y_test)
