"""The layers part of tf-mnist's interop check (`interop_check.py layers`): Keras recomputes
what LayerTraceTest recorded in TF Java.

BatchNormalization on a [16, 3] and a [4, 5, 6, 3] batch and cnn-best's layer stack without its
random layers on 8 digits, each with training=True and False from Java's weights: the output,
the gradients of sum(output * upstream) for the input and every trainable weight
(tf.GradientTape), and the moving statistics after the training call, each within 1e-5 of the
values' scale. The Keras CNN tutorial's layers without dropout under keras.mixed_precision's
"mixed_bfloat16" policy, with a float32 softmax on the bfloat16 logits as Java computes it:
each side against its own float32 pass, and Java against Keras where Keras' bfloat16 is right
(mixed_check). Then Keras' parameter counts for the whole cnn-best model against Java's summary
table, layer by layer.
"""
import json
import os
import re

import numpy as np
import tensorflow as tf

import bf16_conv
import mixed_check
from check_common import close, fail, ok, read_trace


def cnn_best_layers(keras, random_layers):
    """The cnn-best preset's layers in Keras; without random_layers, as LayerTraceTest traces it
    (no augmentation, no dropout: the layers that draw random numbers in training)."""
    L = keras.layers

    def conv_bn_relu(filters):
        return [L.Conv2D(filters, 3, padding="same", use_bias=False), L.BatchNormalization(),
                L.Activation("relu")]

    layers = [L.Reshape((28, 28, 1))]
    if random_layers:
        layers += [L.RandomRotation(0.03, fill_mode="constant"),
                   L.RandomZoom(0.1, fill_mode="constant"),
                   L.RandomTranslation(0.1, 0.1, fill_mode="constant")]
    layers += conv_bn_relu(32) + conv_bn_relu(32) + [L.MaxPooling2D(2)]
    layers += conv_bn_relu(64) + conv_bn_relu(64) + [L.MaxPooling2D(2)]
    layers += [L.Flatten(), L.Dense(128, use_bias=False), L.BatchNormalization(),
               L.Activation("relu")]
    if random_layers:
        layers.append(L.Dropout(0.4))
    layers.append(L.Dense(10, activation="softmax"))
    return layers


def cnn_layers(keras, softmax=True):
    """The Keras CNN tutorial's layers without its dropout (LayerTraceTest's cnn-mixed case)."""
    L = keras.layers
    return [L.Reshape((28, 28, 1)), L.Conv2D(32, 3, activation="relu"),
            L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(2), L.Flatten(),
            L.Dense(128, activation="relu"), L.Dense(10, activation="softmax" if softmax else None)]


def summary_rows(path):
    """The layer rows and totals of `tf-mnist summary --preset cnn-best`."""
    rows, totals = [], {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^ (\S+) \((\w+)\)\s+(\(None[^)]*\))\s+([\d,]+)\s*$", line)
            if m:
                rows.append((m.group(1), m.group(2), m.group(3), int(m.group(4).replace(",", ""))))
            m = re.match(r"^(Total|Trainable|Non-trainable) params: ([\d,]+)", line)
            if m:
                totals[m.group(1)] = int(m.group(2).replace(",", ""))
    if not rows or len(totals) != 3:
        fail("%s holds no Keras summary table (%d rows, totals %s)" % (path, len(rows), totals))
    return rows, totals


def build(keras, name, x, policy):
    """The Keras model of trace case `name` under `policy`, its variables as the policy makes
    them (float32 under mixed_bfloat16, computing in bfloat16)."""
    keras.mixed_precision.set_global_policy(policy)
    if name == "cnn-best":
        stack = cnn_best_layers(keras, random_layers=False)
    elif name == "cnn-mixed":
        stack = cnn_layers(keras, softmax=False)
    else:
        stack = [keras.layers.BatchNormalization()]
    model = keras.Sequential([keras.Input(x.shape[1:])] + stack)
    keras.mixed_precision.set_global_policy("float32")
    return model


def keras_pass(model, weights, x, upstream, training, softmax):
    """Keras' output and the gradients of sum(output * upstream) for the input and each trainable
    weight, from `weights`; softmax: a float32 softmax on the (bfloat16) logits, as Java does."""
    model.set_weights(weights)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = model(xt, training=training)
        if softmax:
            y = tf.nn.softmax(tf.cast(y, tf.float32))
        loss = tf.reduce_sum(y * upstream)
    grads = tape.gradient(loss, [xt] + list(model.trainable_weights))
    return y, grads


def java_pass(mdir, trainable):
    p = {"output": np.load(os.path.join(mdir, "output.npy")),
         "grad_input": np.load(os.path.join(mdir, "grad_input.npy"))}
    for var in trainable:
        p["grad_" + var] = np.load(os.path.join(mdir, "grad_%s.npy" % var))
    return p


def as_pass(y, grads, trainable):
    p = {"output": np.asarray(y, np.float32), "grad_input": np.asarray(grads[0], np.float32)}
    for var, g in zip(trainable, grads[1:]):
        p["grad_" + var] = np.asarray(g, np.float32)
    return p


def check_mixed(keras, case, cdir, x, upstream, initial, trainable, probe, mode):
    """One mode of the mixed_bfloat16 case (mixed_check judges it); returns its "ok" detail."""
    mdir = os.path.join(cdir, mode)
    ref = os.path.join(cdir, "float32", mode)
    if not os.path.isdir(ref):
        fail("%s: no float32 reference pass in %s (LayerTraceTest writes one)" % (case, ref))
    training = mode == "training"
    java_mixed, java_f32 = java_pass(mdir, trainable), java_pass(ref, trainable)
    f32 = build(keras, case, x, "float32")
    keras_f32 = as_pass(*keras_pass(f32, initial, x, upstream, training, True), trainable)
    mixed = build(keras, case, x, "mixed_bfloat16")
    keras_mixed = as_pass(*keras_pass(mixed, initial, x, upstream, training, True), trainable)
    for key in keras_f32:  # the two float32 references agree first
        close("%s %s float32 %s" % (case, mode, key), keras_f32[key], java_f32[key])
    same = all(c["kernel"].startswith("Eigen") for c in probe["cases"])
    verdict, detail = mixed_check.judge(java_mixed, java_f32, keras_mixed, keras_f32, same)
    if verdict in ("java wrong", "java differs"):
        fail("%s %s: %s" % (case, mode, detail))
    java_rows = mixed_check.against_float32(java_mixed, java_f32)
    against = "Java's bfloat16 - float32: output %.2g, worst gradient %s" % (
        java_rows[0][1], mixed_check.worst(java_rows[1:]))
    if verdict == "keras wrong":
        faulty = [c for c in probe["cases"] if not c["right"]]
        kernel = ("TensorFlow %s's kernel %s computes a %d-input-channel bfloat16 Conv2D wrongly "
                  "(off by %.3g on outputs up to %.3g)" % (
                      probe["tensorflow"], faulty[0]["kernel"], faulty[0]["channels"],
                      faulty[0]["diff"], faulty[0]["scale"])) if faulty \
            else "no convolution alone shows the fault"
        print("note %s %s: Keras' mixed_bfloat16 is no reference on this CPU (%s): %s; %s; "
              "Java checked against float32 only" % (
                  case, mode, " ".join(probe["cpu_flags"]) or "flags unknown", kernel, detail),
              flush=True)
        return "Java within bfloat16 of its float32 pass (%s)" % against
    return "Java = Keras (%s bfloat16 kernels: %s); %s" % (
        "Eigen's" if same else "oneDNN's", detail, against)


def layers(a):
    import keras
    trace = read_trace(a.dir, "LayerTraceTest", "tfmnist.layerTrace")
    names = [c["name"] for c in trace["cases"]]
    if names != ["bn-dense", "bn-image", "cnn-best", "cnn-mixed"] \
            or trace["loss"] != "sum(output * upstream)":
        fail("the trace holds cases %s with loss %s" % (names, trace["loss"]))
    if a.bf16_probe:
        with open(a.bf16_probe) as f:
            probe = json.load(f)
    else:
        probe = bf16_conv.probe(a.data_dir)
    for case in trace["cases"]:
        name = case["name"]
        cdir = os.path.join(a.dir, name)
        x = np.load(os.path.join(cdir, "input.npy"))
        upstream = np.load(os.path.join(cdir, "upstream.npy"))
        if list(x.shape) != case["input_shape"] or list(upstream.shape) != case["output_shape"]:
            fail("%s: input %s, upstream %s" % (name, x.shape, upstream.shape))
        model = build(keras, name, x, case["dtype_policy"])
        java_types = [d.split("(", 1)[0] for d in case["layers"].values()]
        keras_types = [type(layer).__name__ for layer in model.layers]
        if java_types != keras_types:
            fail("%s: Java's layers %s, Keras' %s" % (name, java_types, keras_types))
        variables = case["variables"]
        for v, w in zip(variables, model.weights):
            if not v["name"].endswith("_" + w.name) or list(w.shape) != v["shape"] \
                    or w.trainable != v["trainable"]:
                fail("%s: Java's weight %s %s (trainable %s), Keras' %s %s (trainable %s)"
                     % (name, v["name"], v["shape"], v["trainable"], w.path, w.shape,
                        w.trainable))
        if len(variables) != len(model.weights):
            fail("%s: Java has %d weights, Keras %d" % (name, len(variables), len(model.weights)))
        initial = [np.load(os.path.join(cdir, "weights", v["name"] + ".npy")) for v in variables]
        trainable = [v["name"] for v in variables if v["trainable"]]
        for mode in trace["modes"]:
            shape = "x".join(str(d) for d in x.shape)
            if case["dtype_policy"] != "float32":
                detail = check_mixed(keras, name, cdir, x, upstream, initial, trainable,
                                     probe, mode)
                ok("layers %-8s %-9s %s %s: %s" % (name, mode, shape, case["dtype_policy"],
                                                   detail))
                continue
            mdir = os.path.join(cdir, mode)
            y, grads = keras_pass(model, initial, x, upstream, mode == "training", False)
            java = java_pass(mdir, trainable)
            worst = {"output": close("%s %s output" % (name, mode), y, java["output"]),
                     "grad input": close("%s %s gradient of the input" % (name, mode), grads[0],
                                         java["grad_input"])}
            worst["grad weights"] = max([0.0] + [
                close("%s %s gradient of %s" % (name, mode, var), g, java["grad_" + var])
                for var, g in zip(trainable, grads[1:])])
            if mode == "training" and any(not v["trainable"] for v in variables):
                worst["moving stats"] = max(close(
                    "%s moving statistic %s after the training call" % (name, v["name"]),
                    w.numpy(), np.load(os.path.join(mdir, "after_%s.npy" % v["name"])))
                    for v, w in zip(variables, model.weights) if not v["trainable"])
            ok("layers %-8s %-9s %s: max |keras - java| %s" % (
                name, mode, shape, ", ".join("%s %.2g" % kv for kv in worst.items())))
        if case["dtype_policy"] != "float32":
            self_test_mixed(name, cdir, trace["modes"][0], trainable)
    parameter_counts(keras, a)


def self_test_mixed(name, cdir, mode, trainable):
    """mixed_check's logic on references corrupted on purpose (any CPU can run it)."""
    java_mixed = java_pass(os.path.join(cdir, mode), trainable)
    java_f32 = java_pass(os.path.join(cdir, "float32", mode), trainable)
    try:
        results = mixed_check.self_test(java_mixed, java_f32)
    except AssertionError as e:
        fail("%s: the mixed_bfloat16 judging logic is wrong: %s" % (name, e))
    ok("layers %s judging logic on corrupted references: %s" % (
        name, "; ".join("%s -> %s" % r for r in results)))


def parameter_counts(keras, a):
    """Keras' parameter counts for cnn-best against Java's summary table."""
    rows, totals = summary_rows(a.summary)
    keras.backend.clear_session()
    full = keras.Sequential([keras.Input((28, 28))] + cnn_best_layers(keras, random_layers=True),
                            name="cnn_best")
    if len(rows) != len(full.layers):
        fail("Java's summary has %d layers, Keras' cnn-best %d" % (len(rows), len(full.layers)))
    for (jname, jtype, jshape, jcount), layer in zip(rows, full.layers):
        kshape = "(None, %s)" % ", ".join(str(d) for d in layer.output.shape[1:])
        got = (layer.name, type(layer).__name__, kshape, layer.count_params())
        if got != (jname, jtype, jshape, jcount):
            fail("cnn-best layer %s: Keras %s, Java %s" % (jname, got,
                                                            (jname, jtype, jshape, jcount)))
    total = full.count_params()
    non_trainable = int(sum(np.prod(w.shape) for w in full.non_trainable_weights))
    want = {"Total": total, "Trainable": total - non_trainable, "Non-trainable": non_trainable}
    if totals != want:
        fail("cnn-best totals: Java %s, Keras %s" % (totals, want))
    ok("layers cnn-best params: %d layers equal to Keras' (name, type, output shape, count); "
       "total %s, trainable %s, non-trainable %s as Keras counts them"
       % (len(rows), format(total, ","), format(total - non_trainable, ","),
          format(non_trainable, ",")))
