"""The Keras side of `make bench`: the presets' models in Keras 3 on TensorFlow, timed as
tf-mnist's `bench` times them (full MNIST, validation on the test set at each epoch's end counted
in the epoch, then model.predict of the test images in batches of 1,000: one warm-up pass, then
5 timed passes, as tf-mnist's bench times its SavedModel; peak RSS).

    python python/bench_keras.py --preset cnn --epochs 2 --json target/bench/cnn-keras.json
"""
import argparse
import json
import os
import resource
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_data  # noqa: E402

# Inference as tf-mnist's bench times it (Bench.INFERENCE_BATCH, Bench.INFERENCE_RUNS).
INFERENCE_BATCH = 1000
INFERENCE_RUNS = 5

# The CPU features tf-mnist's bench reports (bench/CpuInfo.java), by the /proc/cpuinfo flag each
# is read from.
CPU_FEATURES = [("AVX2", "avx2"), ("AVX-512F", "avx512f"), ("AVX512_BF16", "avx512_bf16"),
                ("AMX", "amx_tile")]


def cpu_info(path="/proc/cpuinfo"):
    """{"model": ..., "AVX2": bool, ...}: the same object tf-mnist's bench writes."""
    model, flags = "unknown CPU", set()
    try:
        with open(path) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and model == "unknown CPU":
                    model = " ".join(value.split())
                elif key.strip() == "flags" and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    return dict([("model", model)] + [(name, flag in flags) for name, flag in CPU_FEATURES])


def model_for(preset):
    """The tutorial's Keras model and compile() arguments, as tf-mnist's presets declare them."""
    if preset == "mlp":
        m = keras.Sequential([keras.Input((28, 28)), layers.Flatten(),
                              layers.Dense(512, activation="relu"),
                              layers.Dense(10, activation="softmax")])
        return m, "rmsprop", "categorical_crossentropy", 128
    if preset == "mlp-dropout":
        m = keras.Sequential([keras.Input((28, 28)), layers.Flatten(),
                              layers.Dense(512), layers.Activation("relu"), layers.Dropout(0.2),
                              layers.Dense(512), layers.Activation("relu"), layers.Dropout(0.2),
                              layers.Dense(10), layers.Activation("softmax")])
        return m, "adam", "categorical_crossentropy", 128
    if preset == "mlp-small":
        m = keras.Sequential([keras.Input((28, 28)), layers.Flatten(),
                              layers.Dense(128, activation="relu"), layers.Dropout(0.5),
                              layers.Dense(128, activation="relu"), layers.Dropout(0.5),
                              layers.Dense(10, activation="softmax")])
        return m, keras.optimizers.Adam(0.001), "categorical_crossentropy", 32
    if preset == "nielsen":
        randn = keras.initializers.RandomNormal(0.0, 1.0)
        m = keras.Sequential([keras.Input((28, 28)), layers.Flatten(),
                              layers.Dense(30, activation="sigmoid", kernel_initializer=randn,
                                           bias_initializer=randn),
                              layers.Dense(10, activation="sigmoid", kernel_initializer=randn,
                                           bias_initializer=randn)])

        def quadratic(y, p):
            return 0.5 * tf.reduce_sum(tf.square(p - y), axis=-1)
        return m, keras.optimizers.SGD(0.1), quadratic, 10
    if preset == "cnn":
        m = keras.Sequential([keras.Input((28, 28)), layers.Reshape((28, 28, 1)),
                              layers.Conv2D(32, (3, 3), activation="relu"),
                              layers.Conv2D(64, (3, 3), activation="relu"),
                              layers.MaxPooling2D((2, 2)), layers.Dropout(0.25),
                              layers.Flatten(), layers.Dense(128, activation="relu"),
                              layers.Dropout(0.5), layers.Dense(10, activation="softmax")])
        opt = keras.optimizers.Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-7)
        return m, opt, "categorical_crossentropy", 128
    raise SystemExit("unknown preset " + preset)


class EpochTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.t0 = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):  # after the epoch's validation
        self.seconds.append(time.perf_counter() - self.t0)
        print("epoch %d: %.2f s, loss %.4f, val_accuracy %.4f" % (
            epoch + 1, self.seconds[-1], logs["loss"], logs["val_accuracy"]), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="mlp")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data-dir", default="data")
    ap.add_argument("--train-limit", type=int, default=0, help="first N training images (0: all)")
    ap.add_argument("--test-limit", type=int, default=0, help="first N test images (0: all)")
    ap.add_argument("--json")
    a = ap.parse_args()
    started = time.time()  # orders the runs of an interleaved bench in tf-mnist's report
    keras.utils.set_random_seed(a.seed)
    (x, y), (xt, yt) = mnist_data.load(a.data_dir)
    if a.train_limit > 0:
        x, y = x[:a.train_limit], y[:a.train_limit]
    if a.test_limit > 0:
        xt, yt = xt[:a.test_limit], yt[:a.test_limit]
    x = x.astype("float32") / 255
    xt = xt.astype("float32") / 255
    y1 = keras.utils.to_categorical(y, 10)
    yt1 = keras.utils.to_categorical(yt, 10)
    model, opt, loss, batch = model_for(a.preset)
    model.compile(optimizer=opt, loss=loss, metrics=["accuracy"])
    timer = EpochTimer()
    h = model.fit(x, y1, batch_size=batch, epochs=a.epochs, validation_data=(xt, yt1),
                  verbose=0, callbacks=[timer])
    model.predict(xt, batch_size=INFERENCE_BATCH, verbose=0)  # warm-up
    runs = []
    for _ in range(INFERENCE_RUNS):
        t0 = time.perf_counter()
        p = model.predict(xt, batch_size=INFERENCE_BATCH, verbose=0)
        runs.append(time.perf_counter() - t0)
    result = {
        "side": "keras",
        "started_unix": started,
        "cpu": cpu_info(),
        "preset": a.preset,
        "runtime": "Keras %s (TensorFlow %s)" % (keras.__version__, tf.__version__),
        "batch_size": batch,
        "train_images": int(len(x)),
        "epoch_seconds": timer.seconds,
        "test_accuracy": float(h.history["val_accuracy"][-1]),
        "inference_seconds": runs,
        "inference_images": int(len(xt)),
        "inference_batch": INFERENCE_BATCH,
        "inference_warmup_passes": 1,
        "inference_accuracy": float((p.argmax(1) == yt).mean()),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    text = json.dumps(result, indent=2)
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
