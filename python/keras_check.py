"""Keras model files both ways, checked against Keras itself (part of `make python-check`).

  java-to-keras --dir D --presets P,...   each D/P.keras that `tf-mnist export --checkpoint ...
        --keras` wrote opens with keras.saving.load_model: the layer classes and parameter count
        of `tf-mnist summary` (D/P-summary.txt), predictions equal to Java's (D/P-java.npy, from
        `tf-mnist evaluate --save-probabilities`) within 1e-5, and one fit epoch on a slice that
        continues from Java's optimizer step with a finite loss and every trainable weight moved.
  make-models --out D   Keras builds and trains briefly three models (the Keras CNN example, the
        TF2 beginner tutorial's functional MLP with from_logits, and a BatchNormalization +
        augmentation model) and saves each as D/NAME.keras and D/NAME.h5, with Keras' outputs on
        the first 1,000 test images (D/NAME-keras.npy) and its accuracy (D/NAME-keras.json).
  compare-import --dir D --models NAME,... --formats keras,h5   what Java made of them:
        D/NAME-FORMAT-java.npy / .json (`tf-mnist evaluate` of the imported SavedModel): outputs
        within 1e-5, accuracy within one image; D/NAME-FORMAT-train.log (`tf-mnist train --resume`
        on the import): the loss went down; D/NAME-FORMAT-after (the SavedModel that training
        exported) predicts in tf.saved_model.load what Java's evaluate of it says
        (D/NAME-FORMAT-after.npy).
  serve-imported --models M --dir D   `tf-mnist serve` on the imported models (M/NAME/1 as
        `import` wrote them) answers :predict with Keras' outputs (D/NAME-keras.npy) within 1e-5.
  model-file --dir D --work W   `tf-mnist train --model D/lenet5.json` (Keras' to_json()): its
        summary (D/lenet5-summary.txt) is Keras' table; a run (checkpoints in W/lenet-ck) killed
        with SIGKILL once epoch 1's checkpoint lands resumes at epoch 2 and prints an
        uninterrupted run's figures, with nothing half-written left; the resumed run's export and
        `export --checkpoint`'s (W/lenet/lenet5/1, 2) predict in tf.saved_model.load what Java's
        `evaluate` of them says. Runs bin/tf-mnist itself, each command with a time limit.
  bad-files --dir D   the bad files `tf-mnist import` must refuse in one line (see the Makefile).
"""
import argparse
import json
import os
import re
import shutil
import sys
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

from check_common import TOLERANCE, fail, ok, test_images  # noqa: E402
import mnist_data  # noqa: E402

# Java runs TF 2.16's kernels and Python TF 2.21's: their oneDNN kernels add in another order
# on each CPU, so the same weights give probabilities a few float32 ulps apart (1.1e-6 seen on
# an AVX-512 CPU where another gave 4e-7). The interop check's one tolerance covers that.
EXACT = TOLERANCE
COUNT = 1000


def keras():
    import keras as k
    return k


def summary_layers(path):
    """Layer classes and the total parameter count of a `tf-mnist summary` table."""
    text = open(path).read()
    classes = [c for n, c in re.findall(r"^ (\S+) \((\w+)\)", text, re.M) if n != "Layer"]
    total = int(re.search(r"Total params: ([\d,]+)", text).group(1).replace(",", ""))
    return classes, total


def config_matches(p, path, m):
    """Every argument Java wrote for a layer is what the layer Keras built reports."""
    written = json.loads(zipfile.ZipFile(path).read("config.json"))["config"]["layers"][1:]
    for entry, layer in zip(written, m.layers):
        got = layer.get_config()
        for key, value in entry["config"].items():
            if key != "dtype" and not _agrees(value, got.get(key)):
                fail("%s: layer %s: %s is %r in Keras, Java wrote %r" % (
                    p, layer.name, key, got.get(key), value))


def _agrees(written, got):
    """What Java wrote, as Keras reads it: dicts by the keys written, tuples as lists, numbers
    within float32 rounding."""
    if isinstance(written, dict):
        return isinstance(got, dict) and all(_agrees(v, got.get(k)) for k, v in written.items())
    if isinstance(written, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(written)
                and all(_agrees(w, g) for w, g in zip(written, got)))
    if isinstance(written, (int, float)) and not isinstance(written, bool):
        return (isinstance(got, (int, float)) and not isinstance(got, bool)
                and abs(got - written) <= 1e-7 * max(1.0, abs(written)))
    return written == got


def java_to_keras(a):
    k = keras()
    x, y = test_images(a.data, COUNT)
    (x_train, y_train), _ = mnist_data.load(a.data)
    x_fit = x_train[:512].astype("float32") / 255
    y_fit = k.utils.to_categorical(y_train[:512], 10)
    for p in a.presets.split(","):
        m = k.saving.load_model(os.path.join(a.dir, p + ".keras"))
        classes, total = summary_layers(os.path.join(a.dir, p + "-summary.txt"))
        got = [type(layer).__name__ for layer in m.layers]
        if got != classes:
            fail("%s: Keras' layers %s, Java's %s" % (p, got, classes))
        if m.count_params() != total:
            fail("%s: Keras counts %d parameters, Java %d" % (p, m.count_params(), total))
        config_matches(p, os.path.join(a.dir, p + ".keras"), m)
        m.summary(print_fn=lambda *args, **kw: None)
        xin = x.reshape((-1,) + tuple(m.input_shape[1:]))
        diff = float(np.abs(m.predict(xin, verbose=0) - np.load(
            os.path.join(a.dir, p + "-java.npy"))).max())
        if not diff <= EXACT:
            fail("%s: Keras' predictions differ from Java's by %.3g > %g" % (p, diff, EXACT))
        step = int(m.optimizer.iterations.numpy())
        if step <= 0:
            fail("%s: the optimizer's iterations are %d, not Java's steps" % (p, step))
        before = [w.numpy().copy() for w in m.trainable_weights]
        loss = m.fit(x_fit.reshape((-1,) + tuple(m.input_shape[1:])), y_fit, batch_size=32,
                     epochs=1, verbose=0).history["loss"][-1]
        still = [w.path for w, b in zip(m.trainable_weights, before)
                 if np.array_equal(w.numpy(), b)]
        if not np.isfinite(loss) or still:
            fail("%s: Keras' fit gave loss %s; weights that did not move: %s" % (p, loss, still))
        ok("%s.keras: %s, %d params as Java counts, max |dp| %.2g vs Java; fit from step %d to "
           "%d, loss %.4f, all %d trainable weights moved" % (
               p, type(m).__name__, total, diff, step, int(m.optimizer.iterations.numpy()), loss,
               len(before)))


def make_models(a):
    k = keras()
    L = k.layers
    k.utils.set_random_seed(1)
    (x_train, y_train), _ = mnist_data.load(a.data)
    x_train = x_train[:4096].astype("float32") / 255
    y_train = y_train[:4096]
    x, y = test_images(a.data, COUNT)
    one_hot = k.utils.to_categorical(y_train, 10)

    cnn = k.Sequential([
        k.Input((28, 28, 1)), L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
        L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(2), L.Flatten(), L.Dropout(0.5),
        L.Dense(10, activation="softmax")], name="keras_cnn")
    cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    cnn.fit(x_train[..., None], one_hot, batch_size=128, epochs=1, verbose=0)

    inputs = k.Input((28, 28))
    h = L.Flatten()(inputs)
    h = L.Dense(128, activation="relu")(h)
    h = L.Dropout(0.2)(h)
    mlp = k.Model(inputs, L.Dense(10)(h), name="beginner")
    mlp.compile(optimizer="adam", metrics=["accuracy"],
                loss=k.losses.SparseCategoricalCrossentropy(from_logits=True))
    mlp.fit(x_train, y_train, epochs=1, verbose=0)

    bn = k.Sequential([
        k.Input((28, 28)), L.Reshape((28, 28, 1)),
        L.RandomRotation(0.03, fill_mode="constant"), L.RandomZoom(0.1, fill_mode="constant"),
        L.RandomTranslation(0.1, 0.1, fill_mode="constant"),
        L.Conv2D(16, 3, use_bias=False), L.BatchNormalization(), L.Activation("relu"),
        L.MaxPooling2D(2), L.Conv2D(32, 3, use_bias=False), L.BatchNormalization(),
        L.LeakyReLU(), L.GlobalAveragePooling2D(), L.Dense(10, activation="softmax")],
        name="bn_augmented")
    bn.compile(optimizer=k.optimizers.SGD(0.05, momentum=0.9), metrics=["accuracy"],
               loss="categorical_crossentropy")
    bn.fit(x_train, one_hot, batch_size=64, epochs=2, verbose=0)

    os.makedirs(a.out, exist_ok=True)
    lenet = k.Sequential([
        k.Input((28, 28, 1)), L.Conv2D(6, 5, padding="same", activation="relu"),
        L.AveragePooling2D(2), L.Conv2D(16, 5, activation="relu"), L.AveragePooling2D(2),
        L.Flatten(), L.Dense(120, activation="relu"), L.Dense(84, activation="relu"),
        L.Dense(10, activation="softmax")], name="lenet5")
    lenet.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    open(os.path.join(a.out, "lenet5.json"), "w").write(lenet.to_json())
    ok("LeNet-5 as Keras' model.to_json(): %d params" % lenet.count_params())
    for name, m, xin in (("cnn", cnn, x[..., None]), ("mlp", mlp, x), ("bn", bn, x)):
        m.save(os.path.join(a.out, name + ".keras"))
        m.save(os.path.join(a.out, name + ".h5"))
        out = m.predict(xin, verbose=0).astype("float32")
        np.save(os.path.join(a.out, name + "-keras.npy"), out)
        acc = float((out.argmax(1) == y).mean())
        json.dump({"accuracy": acc}, open(os.path.join(a.out, name + "-keras.json"), "w"))
        ok("Keras %s (%s, %d params) saved as .keras and .h5: accuracy %.4f on %d test images, "
           "optimizer at step %d" % (name, type(m).__name__, m.count_params(), acc, COUNT,
                                     int(m.optimizer.iterations.numpy())))


def train_losses(log):
    return [float(v) for v in re.findall(r" - loss: ([0-9.]+)", open(log).read())]


def compare_import(a):
    import tensorflow as tf
    x, _ = test_images(a.data, COUNT)
    for name in a.models.split(","):
        keras_out = np.load(os.path.join(a.dir, name + "-keras.npy"))
        keras_acc = json.load(open(os.path.join(a.dir, name + "-keras.json")))["accuracy"]
        for fmt in a.formats.split(","):
            base = os.path.join(a.dir, "%s-%s" % (name, fmt))
            java = np.load(base + "-java.npy")
            diff = float(np.abs(java - keras_out).max())
            if not diff <= EXACT:
                fail("%s.%s: Java's outputs differ from Keras' by %.3g > %g" % (
                    name, fmt, diff, EXACT))
            java_acc = json.load(open(base + "-java.json"))["accuracy"]
            if abs(java_acc - keras_acc) * COUNT > 1.001:
                fail("%s.%s: Java's accuracy %.4f, Keras' %.4f" % (name, fmt, java_acc, keras_acc))
            losses = train_losses(base + "-train.log")
            if len(losses) < 2 or not losses[-1] < losses[0]:
                fail("%s.%s: training in Java did not lower the loss: %s" % (name, fmt, losses))
            served = tf.saved_model.load(base + "-after")
            sig = served.signatures["serving_default"]
            xin = tf.reshape(x, [-1] + list(sig.structured_input_signature[1]["image"].shape[1:]))
            after = sig(image=xin)["probabilities"].numpy()
            d2 = float(np.abs(after - np.load(base + "-after.npy")).max())
            if not d2 <= EXACT:
                fail("%s.%s: tf.saved_model.load of Java's export differs by %.3g" % (
                    name, fmt, d2))
            ok("%s.%s: Java = Keras within %.2g (accuracy %.4f both); Java's training: loss "
               "%.4f -> %.4f; its SavedModel in Python = Java within %.2g" % (
                   name, fmt, diff, java_acc, losses[0], losses[-1], d2))


def serve_imported(a):
    """`tf-mnist serve` on the imported models (as `import` wrote them) answers :predict with
    Keras' outputs."""
    import signal
    import subprocess

    import requests
    import tensorflow as tf
    from serve_check import STOP_TIMEOUT, read_lines, wait_for_url
    x, _ = test_images(a.data, 3)
    proc = subprocess.Popen([a.tf_mnist, "serve", "--models", a.models, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = wait_for_url(read_lines(proc), proc)
        for name in sorted(os.listdir(a.models)):
            keras_out = np.load(os.path.join(a.dir, name.split("-")[0] + "-keras.npy"))[:3]
            meta = requests.get(url + "v1/models/%s/metadata" % name, timeout=60).json()
            sig = meta["metadata"]["signature_def"]["signature_def"]["serving_default"]
            dims = [int(d["size"]) for d in
                    next(iter(sig["inputs"].values()))["tensor_shape"]["dim"]]
            r = requests.post(url + "v1/models/%s:predict" % name,
                              json={"instances": x.reshape([-1] + dims[1:]).tolist()}, timeout=60)
            if r.status_code != 200:
                fail("serve %s: %d %s" % (name, r.status_code, r.text))
            got = np.array([p["probabilities"] for p in r.json()["predictions"]], np.float32)
            diff = float(np.abs(got - keras_out).max())
            if not diff <= EXACT:
                fail("serve %s: outputs differ from Keras' by %.3g" % (name, diff))
            loaded = tf.saved_model.load(os.path.join(a.models, name, "1"))
            fn = loaded.signatures["serving_default"]
            py = fn(image=tf.constant(x.reshape([-1] + dims[1:])))["probabilities"].numpy()
            d2 = float(np.abs(py - keras_out).max())
            if not d2 <= EXACT:
                fail("tf.saved_model.load of imported %s differs from Keras by %.3g" % (name, d2))
            ok("imported %s: tf-mnist serve :predict = Keras within %.2g; tf.saved_model.load "
               "of the SavedModel = Keras within %.2g" % (name, diff, d2))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(STOP_TIMEOUT)


def model_file(a):
    """`tf-mnist train --model lenet5.json`: Keras' table and count; a run killed with SIGKILL
    once its first checkpoint lands, resumed from it to the end an uninterrupted run reaches;
    its exports (the resumed run's, and `export --checkpoint`'s) predict in Python what Java's
    evaluate says."""
    import tensorflow as tf
    import killed_run
    k = keras()
    model = os.path.join(a.dir, "lenet5.json")
    want = k.models.model_from_json(open(model).read())
    classes, total = summary_layers(os.path.join(a.dir, "lenet5-summary.txt"))
    if classes != [type(layer).__name__ for layer in want.layers] or total != want.count_params():
        fail("summary --model: %s, %d params; Keras: %s, %d" % (
            classes, total, [type(layer).__name__ for layer in want.layers], want.count_params()))

    ck, models = os.path.join(a.work, "lenet-ck"), os.path.join(a.work, "lenet")
    shutil.rmtree(ck, ignore_errors=True)
    shutil.rmtree(models, ignore_errors=True)
    train = [a.tf_mnist, "train", "--model", model, "--epochs", "2", "--train-limit", "2048",
             "--test-limit", str(COUNT), "--seed", "1", "--progress", "lines"]
    where = ["--checkpoint-dir", ck, "--models-dir", models]
    log = os.path.join(a.dir, "lenet5")
    killed = killed_run.kill_when(train + where, os.path.join(ck, "epoch-0001", "state.json"),
                                  log + "-killed.log")
    if "test loss" in killed or os.path.exists(os.path.join(ck, "epoch-0002")):
        fail("the run was killed after its last epoch, not after its first: %s" % killed[-500:])
    left = killed_run.leftovers(a.work)
    if left:
        fail("half-written files after kill -9: %s" % left)
    resumed = killed_run.run(train + where + ["--resume"], log + "-resume.log")
    first = os.path.join(ck, "epoch-0001")
    if "Resuming from %s: 1 of 2 epochs done" % first not in resumed:
        fail("train --model ... --resume did not continue from %s: %s" % (first, resumed[:500]))
    if re.findall(r"^Epoch \d+/2$", resumed, re.M) != ["Epoch 2/2"]:
        fail("the resumed run trained other epochs than epoch 2: %s" % resumed[:500])
    straight = killed_run.run(train + ["--no-checkpoints", "--no-export"],
                              log + "-straight.log")
    figures = [re.findall(r" - (loss: .*)$", t, re.M) for t in (killed, resumed, straight)]
    if figures[0] + figures[1] != figures[2]:
        fail("killed + resumed epochs %s, an uninterrupted run's %s" % (
            figures[0] + figures[1], figures[2]))
    left = killed_run.leftovers(a.work)
    if left:
        fail("half-written files after the resumed run: %s" % left)
    killed_run.run([a.tf_mnist, "export", "--checkpoint", ck, "--models-dir", models],
                   log + "-export.log")

    x, y = test_images(a.data, COUNT)
    # version 1: the resumed run's export; 2: export --checkpoint of its last checkpoint
    for version in ("1", "2"):
        export = os.path.join(models, "lenet5", version)
        npy = "%s-java-%s.npy" % (log, version)
        said = json.loads(killed_run.run(
            [a.tf_mnist, "evaluate", "--model", export, "--limit", str(COUNT), "--format",
             "json", "--save-probabilities", npy], log + "-evaluate-%s.log" % version))
        sig = tf.saved_model.load(export).signatures["serving_default"]
        py = sig(image=tf.constant(x[..., None]))["probabilities"].numpy()
        diff = float(np.abs(py - np.load(npy)).max())
        correct = int((py.argmax(1) == y).sum())
        if not diff <= EXACT or correct != said["correct"]:
            fail("%s in Python: %d correct and probabilities within %.3g of Java's evaluate, "
                 "which says %d correct" % (export, correct, diff, said["correct"]))
        if version == "1":
            first_export = py
        elif not np.array_equal(py, first_export):
            fail("export --checkpoint predicts otherwise than the resumed run's export")
    ok("train --model lenet5.json: summary = Keras (%d params); killed with SIGKILL after "
       "epoch 1's checkpoint, resumed at epoch 2, every epoch's figures = an uninterrupted "
       "run's (%s); its export and export --checkpoint loaded by tf.saved_model.load = Java's "
       "evaluate within %.2g (%d/%d correct)" % (
           total, figures[2][-1], diff, said["correct"], COUNT))


def bad_files(a):
    """Each bad file is derived from the good mlp.keras / mlp.h5 in the same directory."""
    d = a.dir
    good = os.path.join(d, "mlp.keras")
    data = open(good, "rb").read()
    open(os.path.join(d, "bad-truncated.keras"), "wb").write(data[: len(data) // 2])
    with zipfile.ZipFile(good) as z:
        members = {n: z.read(n) for n in z.namelist()}

    def rezip(path, changed, drop=()):
        with zipfile.ZipFile(path, "w") as z:
            for n, b in members.items():
                if n not in drop:
                    z.writestr(n, changed.get(n, b))

    cfg = json.loads(members["config.json"])
    cfg["config"]["layers"][2]["class_name"] = "FancyAttention"
    rezip(os.path.join(d, "bad-unknown-layer.keras"), {"config.json": json.dumps(cfg)})
    cfg = json.loads(members["config.json"])
    cfg["config"]["layers"][2]["config"]["units"] = 64
    rezip(os.path.join(d, "bad-wrong-shape.keras"), {"config.json": json.dumps(cfg)})
    rezip(os.path.join(d, "bad-no-weights.keras"), {}, drop=("model.weights.h5",))
    # a kernel stored transposed: as many values as the model needs, in the wrong shape
    import io
    import h5py
    buf = io.BytesIO(members["model.weights.h5"])
    with h5py.File(buf, "a") as f:
        kernel = f["layers/dense/vars/0"][()]
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = kernel.T.copy()
    rezip(os.path.join(d, "bad-transposed.keras"), {"model.weights.h5": buf.getvalue()})
    shutil.copy(os.path.join(d, "mlp.h5"), os.path.join(d, "bad-no-config.h5"))
    with h5py.File(os.path.join(d, "bad-no-config.h5"), "a") as f:
        del f.attrs["model_config"]
    ok("bad files written: truncated zip, unknown layer, wrong weight shape, a kernel stored "
       "transposed, no model.weights.h5, .h5 without model_config")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="data")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("java-to-keras")
    s.add_argument("--dir", required=True)
    s.add_argument("--presets", required=True)
    s = sub.add_parser("make-models")
    s.add_argument("--out", required=True)
    s = sub.add_parser("compare-import")
    s.add_argument("--dir", required=True)
    s.add_argument("--models", default="cnn,mlp,bn")
    s.add_argument("--formats", default="keras,h5")
    s = sub.add_parser("serve-imported")
    s.add_argument("--models", required=True)
    s.add_argument("--dir", required=True)
    s.add_argument("--tf-mnist", default="bin/tf-mnist")
    s = sub.add_parser("model-file")
    s.add_argument("--dir", required=True)
    s.add_argument("--work", required=True)
    s.add_argument("--tf-mnist", default="bin/tf-mnist")
    s = sub.add_parser("bad-files")
    s.add_argument("--dir", required=True)
    a = ap.parse_args()
    {"java-to-keras": java_to_keras, "make-models": make_models, "compare-import": compare_import,
     "serve-imported": serve_imported, "model-file": model_file, "bad-files": bad_files}[a.cmd](a)


if __name__ == "__main__":
    main()
