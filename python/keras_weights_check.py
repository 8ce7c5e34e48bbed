"""Does Keras 3 read the weights and optimizer state Java writes? Run from the repository root:
    .venv/bin/python python/keras_weights_check.py
Java (KerasCheckFilesTest) trains the mlp preset two RMSprop steps on 32 MNIST images and writes
model.weights.h5 (weights + optimizer), a .keras with Keras' own config.json for that network,
its probabilities, and its weights after a third step. Here Keras loads both files, predicts,
and takes the third step itself."""
import os, subprocess, sys, tempfile
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np

d = tempfile.mkdtemp(prefix="keras-check-")
subprocess.run(["mvn", "-q", "-B", "-o", "test", "-Dtest=KerasCheckFilesTest",
                f"-Dkeras.check.dir={d}"], check=True, stdout=subprocess.DEVNULL)
import keras, h5py

x = np.fromfile(os.path.join(d, "x.u8"), np.uint8).reshape(32, 28, 28).astype("float32") / 255
y = keras.utils.to_categorical(np.fromfile(os.path.join(d, "y.u8"), np.uint8), 10)
java_probs = np.fromfile(os.path.join(d, "probs.f32"), "<f4").reshape(32, 10)

def mlp():
    m = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                          keras.layers.Dense(512, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")], name="mlp")
    m.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    m.optimizer.build(m.trainable_variables)
    return m

ok = True
def check(what, value, limit):
    global ok
    good = value <= limit
    ok &= good
    print(f"{'ok  ' if good else 'FAIL'} {what}: {value:.3g} (limit {limit:g})")

m = mlp()
m.load_weights(os.path.join(d, "mlp.weights.h5"))
f = h5py.File(os.path.join(d, "mlp.weights.h5"))
stored = [f[f"optimizer/vars/{i}"][()] for i in range(len(f["optimizer/vars"]))]
check("iterations == 2", abs(int(m.optimizer.iterations.numpy()) - 2), 0)
check("optimizer variables as written (max abs diff)",
      max(float(np.max(np.abs(np.asarray(v.numpy()) - s)))
          for v, s in zip(m.optimizer.variables, stored)), 0)
check("predict vs Java, model.weights.h5 (max abs diff)",
      float(np.max(np.abs(m.predict(x, verbose=0) - java_probs))), 1e-6)

k = keras.saving.load_model(os.path.join(d, "mlp.keras"))
print("     .keras:", type(k).__name__, [l.__class__.__name__ for l in k.layers],
      "params", k.count_params(), "optimizer", type(k.optimizer).__name__,
      "iterations", int(k.optimizer.iterations.numpy()))
check("predict vs Java, .keras (max abs diff)",
      float(np.max(np.abs(k.predict(x, verbose=0) - java_probs))), 1e-6)

m.train_on_batch(x, y)  # Keras' third step, from Java's state
after = h5py.File(os.path.join(d, "after.weights.h5"))
java_after = [after["layers/dense/vars/0"][()], after["layers/dense/vars/1"][()],
              after["layers/dense_1/vars/0"][()], after["layers/dense_1/vars/1"][()]]
check("one Keras step vs one Java step (max abs weight diff)",
      max(float(np.max(np.abs(w.numpy() - j))) for w, j in zip(m.weights, java_after)), 1e-6)
moved = max(float(np.max(np.abs(w.numpy() - s))) for w, s in
            zip(m.weights, [f["layers/dense/vars/0"][()], f["layers/dense/vars/1"][()],
                            f["layers/dense_1/vars/0"][()], f["layers/dense_1/vars/1"][()]]))
print(f"     (the step moved the weights by up to {moved:.3g})")
print("keras_weights_check:", "OK" if ok else "FAILED")
sys.exit(0 if ok else 1)
