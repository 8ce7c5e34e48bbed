"""Use a tf-mnist SavedModel from Python: predict MNIST test digits and print the accuracy.

    python python/predict.py models/mlp/1            # tf.saved_model.load + serving_default
    python python/predict.py models/mlp/1 --keras    # the same through keras.layers.TFSMLayer
    python python/predict.py models/cnn-best --min 0.995   # its newest version; exit 1 below 99.5 %

The signature (see the README): input `image` float32 [-1, 28, 28] in [0, 1], white digit on
black; outputs `probabilities` float32 [-1, 10] and `class` int64 [-1].
"""
import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_data  # noqa: E402


def predict_saved_model(model_dir, images):
    """Class probabilities through tf.saved_model.load and the serving_default signature."""
    model = tf.saved_model.load(model_dir)
    serve = model.signatures["serving_default"]
    out = [serve(image=tf.constant(images[i:i + 1000]))["probabilities"].numpy()
           for i in range(0, len(images), 1000)]
    return np.concatenate(out)


def predict_keras(model_dir, images):
    """The same model as a layer of a Keras 3 model."""
    import keras
    layer = keras.layers.TFSMLayer(model_dir, call_endpoint="serving_default")
    model = keras.Sequential([keras.Input((28, 28)), layer])
    return model.predict(images, batch_size=1000, verbose=0)["probabilities"]


def newest_version(model_dir):
    """A version directory as given, or a model directory's highest numbered version."""
    if os.path.exists(os.path.join(model_dir, "saved_model.pb")):
        return model_dir
    versions = [d for d in os.listdir(model_dir) if d.isdigit()
                and os.path.exists(os.path.join(model_dir, d, "saved_model.pb"))]
    if not versions:
        sys.exit("predict.py: error: %s: no SavedModel version in it" % model_dir)
    return os.path.join(model_dir, max(versions, key=int))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="a SavedModel directory, e.g. models/mlp/1, or a model "
                    "directory (its newest version)")
    ap.add_argument("--keras", action="store_true", help="load it with keras.layers.TFSMLayer")
    ap.add_argument("--show", type=int, default=20, help="how many predictions to print")
    ap.add_argument("--data-dir", default="data")
    ap.add_argument("--dataset", default="mnist", choices=["mnist", "fashion"])
    ap.add_argument("--min", type=float, help="exit 1 when the test accuracy is below this")
    a = ap.parse_args()
    a.model = newest_version(a.model)
    _, (x_test, y_test) = mnist_data.load(a.data_dir, a.dataset)
    images = x_test.astype("float32") / 255
    p = (predict_keras if a.keras else predict_saved_model)(a.model, images)
    digits = p.argmax(axis=1)
    if a.show > 0:
        print("predicted:", " ".join(str(d) for d in digits[:a.show]))
        print("actual:   ", " ".join(str(d) for d in y_test[:a.show]))
    correct = int((digits == y_test).sum())
    print("%s: test accuracy %.4f (%d/%d)" % (a.model, correct / len(y_test), correct,
                                               len(y_test)))
    if a.min is not None and correct / len(y_test) < a.min:
        sys.exit("predict.py: error: %s: test accuracy %.4f is below %.4f"
                 % (a.model, correct / len(y_test), a.min))


if __name__ == "__main__":
    main()
