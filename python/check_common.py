"""What every part of tf-mnist's Python interop check shares: one-line failures, "ok" lines, the
test images and the comparisons of Java's numbers with Python's."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_data  # noqa: E402

TOLERANCE = 1e-5


def fail(msg):
    print("interop check FAILED: " + msg, flush=True)
    sys.exit(1)


def ok(msg):
    print("ok   " + msg, flush=True)


def test_images(data_dir, count):
    _, (x_test, y_test) = mnist_data.load(data_dir)
    return x_test[:count].astype("float32") / 255, y_test[:count]


def compare(name, expected, actual):
    if expected.shape != actual.shape:
        fail("%s: shape %s, expected %s" % (name, actual.shape, expected.shape))
    diff = float(np.abs(expected - actual).max())
    same = int((expected.argmax(1) == actual.argmax(1)).sum())
    if not diff <= TOLERANCE:  # NaN fails too
        fail("%s: max |dp| = %.3g > %g" % (name, diff, TOLERANCE))
    if same != len(expected):
        fail("%s: %d of %d classes differ" % (name, len(expected) - same, len(expected)))
    ok("%s: max |dp| = %.2g over %d images, identical classes" % (name, diff, len(expected)))


def close(what, keras_value, java_value, tolerance=None):
    """|Keras - Java| <= 1e-5 (or tolerance) of the values' scale (at least 1); returns the
    largest difference."""
    tolerance = TOLERANCE if tolerance is None else tolerance
    keras_value = np.asarray(keras_value)
    if keras_value.shape != java_value.shape:
        fail("%s: Keras' shape %s, Java's %s" % (what, keras_value.shape, java_value.shape))
    diff = float(np.abs(keras_value - java_value).max())
    scale = max(1.0, float(np.abs(keras_value).max()))
    if not diff <= tolerance * scale:
        fail("%s: Java differs from Keras by up to %.3g (values up to %.3g; allowed %g of "
             "that, at least %g)" % (what, diff, scale, tolerance, tolerance))
    return diff


def read_trace(directory, test, prop):
    """The trace.json a Java test wrote into `directory` (fails naming how to make it)."""
    manifest = os.path.join(directory, "trace.json")
    if not os.path.isfile(manifest):
        fail("no %s: %s writes it (mvn test -Dtest=%s -D%s=DIR)" % (manifest, test, test, prop))
    with open(manifest) as f:
        return json.load(f)
