"""tf-mnist's Python interop check (`make python-check`, part of `make test`).

  java-model    a SavedModel exported by tf-mnist: the signature matches the README's contract,
                tf.saved_model.load and Keras' TFSMLayer both give Java's probabilities
                (max |dp| <= 1e-5, identical classes), m.variables lists the weights, a re-saved
                copy predicts the same, and Keras fine-tunes on top of the TFSMLayer (each of
                its weights changes).
  keras-export  trains a small Keras model, exports it with model.export() and saves its
                probabilities, for Java to evaluate.
  compare       Java's probabilities for the Keras export against Keras' own.
  tensorboard   the scalars of `tf-mnist train --tensorboard`: the tags TensorBoard's reader
                lists, and each epoch's loss and accuracy (train and validation) read from the
                event files equal to the run's history.json (1e-4 relative) and its log (to the
                4 printed decimals).
  optimizers    Keras replays the steps OptimizerTraceTest recorded in TF Java for every
                optimizer (SGD, momentum, Nesterov, RMSprop, Adam, Adadelta): same model, initial
                weights and batches; each weight equal to Java's within 1e-5 (and 1% of its move).
  layers        Keras recomputes what LayerTraceTest recorded in TF Java (layer_check.py):
                BatchNormalization, cnn-best's layers and, under mixed_bfloat16, the Keras CNN
                tutorial's layers, each side against its float32 pass and Java against Keras
                where Keras' bfloat16 is right (mixed_check.py); cnn-best's parameter counts.
  serve         `tf-mnist serve` answers a TF Serving client (serve_check.py).
  bf16-conv     TensorFlow's bfloat16 Conv2D against float32 for 1 and 32 input channels, with
                the kernel that ran (bf16_conv.py).
Each failure is one line and a non-zero exit; every comparison fails on NaN.
"""
import argparse
import glob
import json
import os
import re
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.core.protobuf import saved_model_pb2  # noqa: E402
from tensorflow.core.util import event_pb2  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_data  # noqa: E402
import predict  # noqa: E402

from check_common import TOLERANCE, compare, fail, ok, read_trace, test_images  # noqa: E402,F401


def check_signature(model_dir):
    """saved_model_cli show --all, as assertions on the README's contract."""
    sm = saved_model_pb2.SavedModel()
    with open(os.path.join(model_dir, "saved_model.pb"), "rb") as f:
        sm.ParseFromString(f.read())
    meta = [m for m in sm.meta_graphs if "serve" in m.meta_info_def.tags]
    if not meta:
        fail("no MetaGraph tagged 'serve'")
    sigs = meta[0].signature_def
    if "serving_default" not in sigs:
        fail("no serving_default signature (has %s)" % list(sigs))
    sig = sigs["serving_default"]
    if sig.method_name != "tensorflow/serving/predict":
        fail("method %s, expected tensorflow/serving/predict" % sig.method_name)

    def spec(info):
        return (tf.dtypes.as_dtype(info.dtype).name, [d.size for d in info.tensor_shape.dim])

    expected_in = {"image": ("float32", [-1, 28, 28])}
    expected_out = {"probabilities": ("float32", [-1, 10]), "class": ("int64", [-1])}
    got_in = {k: spec(v) for k, v in sig.inputs.items()}
    got_out = {k: spec(v) for k, v in sig.outputs.items()}
    if got_in != expected_in:
        fail("inputs %s, the contract says %s" % (got_in, expected_in))
    if got_out != expected_out:
        fail("outputs %s, the contract says %s" % (got_out, expected_out))
    ok("signature serving_default: image float32 [-1,28,28] -> probabilities float32 [-1,10], "
       "class int64 [-1]")


def java_model(a):
    check_signature(a.model)
    images, labels = test_images(a.data_dir, a.count)
    java = np.load(a.java_probabilities)

    m = tf.saved_model.load(a.model)
    out = m.signatures["serving_default"](image=tf.constant(images))
    compare("tf.saved_model.load vs Java", java, out["probabilities"].numpy())
    if not np.array_equal(out["class"].numpy(), java.argmax(1)):
        fail("the 'class' output is not the argmax of Java's probabilities")
    ok("'class' output = argmax of the probabilities")

    keras_p = predict.predict_keras(a.model, images)
    compare("keras TFSMLayer vs Java", java, keras_p)

    if len(m.variables) != a.variables:
        fail("m.variables has %d variables, expected %d" % (len(m.variables), a.variables))
    ok("m.variables: %s" % ", ".join("%s %s" % (v.name, v.shape) for v in m.variables))

    with tempfile.TemporaryDirectory() as other:
        tf.saved_model.save(m, other, signatures=m.signatures)
        again = tf.saved_model.load(other)
        p2 = again.signatures["serving_default"](image=tf.constant(images))["probabilities"]
        compare("re-saved copy vs Java", java, p2.numpy())

    with open(a.java_eval) as f:
        java_acc = json.load(f)["accuracy"]
    py_acc = float((out["class"].numpy() == labels).mean())
    if not abs(java_acc - py_acc) <= 1e-9:
        fail("accuracy %.4f in Python, %.4f in Java" % (py_acc, java_acc))
    ok("test accuracy on %d images: Python %.4f = Java %.4f" % (a.count, py_acc, java_acc))

    import keras
    (x, y), _ = mnist_data.load(a.data_dir)
    x = x[:2000].astype("float32") / 255
    y = keras.utils.to_categorical(y[:2000], 10)
    layer = keras.layers.TFSMLayer(a.model, call_endpoint="serving_default")
    inp = keras.Input((28, 28))
    head = keras.layers.Dense(10, activation="softmax")(layer(inp)["probabilities"])
    tuned = keras.Model(inp, head)
    # SGD: Keras 3.15's TFSMLayer names its weights "<name>:0", which the slot-based optimizers
    # (Adam, RMSprop, momentum) reject as scope names, for Keras' own exports too.
    tuned.compile(optimizer=keras.optimizers.SGD(0.1), loss="categorical_crossentropy")
    if len(layer.trainable_weights) != a.variables:
        fail("TFSMLayer exposes %d trainable weights, expected %d"
             % (len(layer.trainable_weights), a.variables))
    before = [w.numpy() for w in layer.trainable_weights]
    h = tuned.fit(x, y, epochs=3, batch_size=100, verbose=0).history["loss"]
    if not h[-1] < h[0]:
        fail("fine-tuning on top of the TFSMLayer did not lower the loss: %s" % h)
    for b, w in zip(before, layer.trainable_weights):
        after = w.numpy()
        if not np.isfinite(after).all():
            fail("fine-tuning made %s non-finite" % w.name)
        if np.array_equal(b, after):
            fail("fine-tuning did not change the SavedModel's weight %s (all %d must move)"
                 % (w.name, len(before)))
    ok("Keras fine-tunes on top of the TFSMLayer: all %d of its weights updated, loss %.3f -> %.3f"
       % (len(before), h[0], h[-1]))


def keras_export(a):
    import keras
    keras.utils.set_random_seed(1)
    (x, y), _ = mnist_data.load(a.data_dir)
    x = x[:3000].astype("float32") / 255
    y = keras.utils.to_categorical(y[:3000], 10)
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Reshape((28, 28, 1)),
                              keras.layers.Conv2D(8, 3, activation="relu"),
                              keras.layers.MaxPooling2D(2), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=64, verbose=0)
    model.export(a.out, verbose=False)
    images, labels = test_images(a.data_dir, a.count)
    p = model.predict(images, batch_size=1000, verbose=0)
    np.save(a.out + "-probabilities.npy", p.astype("float32"))
    acc = float((p.argmax(1) == labels).mean())
    with open(a.out + "-accuracy.json", "w") as f:
        json.dump({"accuracy": acc}, f)
    ok("Keras model exported to %s (model.export); Keras' test accuracy on %d images %.4f"
       % (a.out, a.count, acc))


def compare_cmd(a):
    compare("Java on the Keras export vs Keras", np.load(a.expected), np.load(a.actual))
    if a.expected_eval and a.actual_eval:
        with open(a.expected_eval) as f:
            k = json.load(f)["accuracy"]
        with open(a.actual_eval) as f:
            j = json.load(f)["accuracy"]
        if not abs(k - j) <= 1e-9:
            fail("accuracy of the Keras export: %.4f in Keras, %.4f in Java" % (k, j))
        ok("accuracy of the Keras export: Keras %.4f = Java %.4f" % (k, j))


def event_scalars(run_dir):
    """{tag: [(step, value), ...]} of a TensorBoard run, read by TensorFlow's event reader."""
    files = sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*")))
    if not files:
        fail("no event file in %s" % run_dir)
    scalars = {}
    for path in files:
        for record in tf.data.TFRecordDataset(path):
            event = event_pb2.Event.FromString(record.numpy())
            for v in event.summary.value:
                # TF2 summary ops write a scalar tensor; TF1's a simple_value
                value = tf.make_ndarray(v.tensor).item() if v.HasField("tensor") \
                    else v.simple_value
                scalars.setdefault(v.tag, []).append((event.step, float(value)))
    return scalars


EPOCH_LINE = re.compile(r"^\d+/\d+ \[=+\] - .* - loss: (\S+) - accuracy: (\S+) - "
                        r"val_loss: (\S+) - val_accuracy: (\S+)$")


def tensorboard(a):
    """The scalars `tf-mnist train --tensorboard` wrote: the tags TensorBoard lists, and each
    epoch's loss and accuracy as the run's history.json and its log printed them."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    expected = {"train": {"epoch_loss", "epoch_accuracy", "epoch_learning_rate", "batch_loss",
                          "batch_accuracy"},
                "validation": {"epoch_loss", "epoch_accuracy"}}
    for run, tags in expected.items():
        ea = EventAccumulator(os.path.join(a.dir, run))
        ea.Reload()
        got = set(ea.Tags()["scalars"])
        if not tags <= got:
            fail("TensorBoard run %s has scalars %s, missing %s" % (run, sorted(got),
                                                                     sorted(tags - got)))
        ok("TensorBoard %s: %s" % (run, ", ".join(sorted(got))))

    with open(a.history) as f:
        history = json.load(f)
    with open(a.log) as f:
        printed = [tuple(float(x) for x in m.groups())
                   for m in (EPOCH_LINE.match(line.rstrip("\n")) for line in f) if m]
    if len(printed) != a.epochs:
        fail("%s has %d epoch lines, expected %d" % (a.log, len(printed), a.epochs))
    columns = {"loss": 0, "accuracy": 1, "val_loss": 2, "val_accuracy": 3}
    for run, tag, key in (("train", "epoch_loss", "loss"),
                          ("train", "epoch_accuracy", "accuracy"),
                          ("validation", "epoch_loss", "val_loss"),
                          ("validation", "epoch_accuracy", "val_accuracy")):
        events = sorted(event_scalars(os.path.join(a.dir, run)).get(tag, []))
        steps = [step for step, _ in events]
        if steps != list(range(a.epochs)):
            fail("TensorBoard %s/%s has steps %s, expected 0..%d" % (run, tag, steps,
                                                                     a.epochs - 1))
        recorded = history.get(key, [])
        if len(recorded) != a.epochs:
            fail("%s has %d %s values, expected %d" % (a.history, len(recorded), key, a.epochs))
        for (step, value), h, p in zip(events, recorded, (e[columns[key]] for e in printed)):
            # the event holds a float32: 1e-4 relative to the history's double (NaN fails)
            if not abs(value - h) <= 1e-4 * abs(h):
                fail("TensorBoard %s/%s at epoch %d is %r, the history says %r"
                     % (run, tag, step + 1, value, h))
            # the log prints 4 decimals
            if not abs(value - p) <= 5e-5 + 1e-6:
                fail("TensorBoard %s/%s at epoch %d is %r, the log printed %.4f"
                     % (run, tag, step + 1, value, p))
        ok("TensorBoard %s/%s = history %s = the log's, epochs 1-%d: %s"
           % (run, tag, key, a.epochs, ", ".join("%.6f" % v for _, v in events)))


def optimizers(a):
    """Keras replays the optimizer steps OptimizerTraceTest recorded in TF Java: the same model
    (the mlp preset's), the same initial weights, the same batches and the optimizer's Keras
    config; after the steps each weight must equal Java's to 1e-5 and to 1% of how far it moved
    (Adadelta at Keras 3's lr 0.001 moves weights by only ~7e-6 in a few steps)."""
    import keras
    trace = read_trace(a.dir, "OptimizerTraceTest", "tfmnist.optimizerTrace")
    if trace["model"] != "mlp" or trace["loss"] != "categorical_crossentropy":
        fail("the trace is of model %s with loss %s; this replays the mlp preset with "
             "categorical_crossentropy" % (trace["model"], trace["loss"]))
    images = np.load(os.path.join(a.dir, "images.npy"))
    labels = np.load(os.path.join(a.dir, "labels.npy"))
    n, steps = trace["images"], trace["steps"]
    if images.shape != (n, 28, 28) or labels.shape != (n,) or steps < 1:
        fail("trace images %s, labels %s, %d steps" % (images.shape, labels.shape, steps))
    # as the Java graph normalises: x * float32(1/255), in float32
    x = images.astype(np.float32) * np.float32(1.0 / 255.0)
    y = keras.utils.to_categorical(labels, 10)
    kinds = set()
    for case in trace["cases"]:
        name = case["name"]
        config = dict(case["optimizer"])
        kind = config.pop("name")
        kinds.add(kind)
        optimizer = getattr(keras.optimizers, kind)(**config)
        model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                                  keras.layers.Dense(512, activation="relu"),
                                  keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer=optimizer, loss="categorical_crossentropy", jit_compile=False)
        variables = [v["name"] for v in case["variables"]]
        shapes = [tuple(v["shape"]) for v in case["variables"]]
        if shapes != [tuple(w.shape) for w in model.weights]:
            fail("%s: Java's weights %s, Keras' %s" % (name, list(zip(variables, shapes)),
                                                       [w.shape for w in model.weights]))

        def load(stage, var, case_name=name):
            return np.load(os.path.join(a.dir, case_name, stage, var + ".npy"))

        initial = [load("initial", v) for v in variables]
        java = [load("final", v) for v in variables]
        model.set_weights(initial)
        for _ in range(steps):
            model.train_on_batch(x, y)
        worst, moves = 0.0, []
        for var, w0, wj, wk in zip(variables, initial, java, model.get_weights()):
            diff = float(np.abs(wk - wj).max())
            moved = float(np.abs(wj - w0).max())
            # NaN fails; a weight that did not move fails unless Keras left it exactly as is
            if not diff <= min(TOLERANCE, 0.01 * moved):
                fail("optimizer %s (%s %s): after %d steps %s differs from Keras' by up to %.3g "
                     "(it moved by up to %.3g; allowed min(%g, 1%% of that))"
                     % (name, kind, config, steps, var, diff, moved, TOLERANCE))
            worst = max(worst, diff)
            moves.append(moved)
        ok("optimizer %-16s %s %s: %d steps of %d images, max |w_keras - w_java| = %.2g; "
           "max |w_java - w0| %.2g to %.2g" % (name, kind, json.dumps(config), steps, n, worst,
                                              min(moves), max(moves)))
    missing = {"SGD", "RMSprop", "Adam", "Adadelta"} - kinds
    if missing:
        fail("the trace has no %s" % ", ".join(sorted(missing)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    j = sub.add_parser("java-model")
    j.add_argument("--model", required=True)
    j.add_argument("--java-probabilities", required=True)
    j.add_argument("--java-eval", required=True)
    j.add_argument("--variables", type=int, default=4)
    k = sub.add_parser("keras-export")
    k.add_argument("--out", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--expected", required=True)
    c.add_argument("--actual", required=True)
    c.add_argument("--expected-eval")
    c.add_argument("--actual-eval")
    t = sub.add_parser("tensorboard")
    t.add_argument("--dir", required=True)
    t.add_argument("--epochs", type=int, default=1)
    t.add_argument("--history", required=True, help="the run's history.json")
    t.add_argument("--log", required=True, help="the run's output (--progress lines)")
    o = sub.add_parser("optimizers")
    o.add_argument("--dir", required=True, help="OptimizerTraceTest's trace directory")
    ly = sub.add_parser("layers")
    ly.add_argument("--dir", required=True, help="LayerTraceTest's trace directory")
    ly.add_argument("--summary", required=True,
                    help="the output of `tf-mnist summary --preset cnn-best`")
    ly.add_argument("--bf16-probe", help="bf16_conv.py's --json result (else probed here)")
    s = sub.add_parser("serve")
    s.add_argument("--models", required=True)
    s.add_argument("--tf-mnist", default="bin/tf-mnist")
    b = sub.add_parser("bf16-conv")
    b.add_argument("--json", help="also write the result here (for layers --bf16-probe)")
    for p in (j, k, c, t, o, ly, s, b):
        p.add_argument("--count", type=int, default=1000)
        p.add_argument("--data-dir", default="data")
    a = ap.parse_args()
    if a.cmd == "layers":
        import layer_check
        layer_check.layers(a)
    elif a.cmd == "serve":
        import serve_check
        serve_check.serve(a)
    elif a.cmd == "bf16-conv":
        import bf16_conv
        bf16_conv.report(a.data_dir, a.json)
    else:
        {"java-model": java_model, "keras-export": keras_export, "compare": compare_cmd,
         "tensorboard": tensorboard, "optimizers": optimizers}[a.cmd](a)


if __name__ == "__main__":
    main()
