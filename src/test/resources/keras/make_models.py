"""Writes the 28x28 Keras fixtures KerasFilesTest and KerasConfigTest read (Keras 3.15.1; run from
the project root: .venv/bin/python src/test/resources/keras/make_models.py):
small_cnn.keras/.h5: Input((28, 28, 1)), Conv2D(4, 3, relu), MaxPooling2D, Flatten, Dense(10,
  softmax); Adam; two steps on MNIST's first 64 training images;
beginner.keras/.h5: the TF2 beginner tutorial's functional MLP, narrowed: Input((28, 28)),
  Flatten, Dense(16, relu), Dropout(0.2), Dense(10); SparseCategoricalCrossentropy(from_logits);
small_expected.json: both models' outputs on MNIST's first 8 test images;
bn_aug_config.json: the config.json of a BatchNormalization + augmentation model (not saved)."""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, "python")
import keras  # noqa: E402
import numpy as np  # noqa: E402

import mnist_data  # noqa: E402
from keras.src.saving import saving_lib  # noqa: E402

L = keras.layers
out = os.path.dirname(os.path.abspath(__file__))
(x_train, y_train), (x_test, _) = mnist_data.load("data")
x = x_train[:64].astype("float32") / 255
y = y_train[:64]
xt = x_test[:8].astype("float32") / 255
keras.utils.set_random_seed(5)

cnn = keras.Sequential([keras.Input((28, 28, 1)), L.Conv2D(4, 3, activation="relu"),
                        L.MaxPooling2D(2), L.Flatten(), L.Dense(10, activation="softmax")],
                       name="small_cnn")
cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
cnn.fit(x[..., None], keras.utils.to_categorical(y, 10), batch_size=32, epochs=1, verbose=0)

inputs = keras.Input((28, 28))
h = L.Dropout(0.2)(L.Dense(16, activation="relu")(L.Flatten()(inputs)))
mlp = keras.Model(inputs, L.Dense(10)(h), name="beginner")
mlp.compile(optimizer="adam", metrics=["accuracy"],
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
mlp.fit(x, y, batch_size=32, epochs=1, verbose=0)

expected = {}
for name, m, xin in (("small_cnn", cnn, xt[..., None]), ("beginner", mlp, xt)):
    m.save(os.path.join(out, name + ".keras"))
    m.save(os.path.join(out, name + ".h5"))
    expected[name] = {"outputs": m.predict(xin, verbose=0).tolist(),
                      "iterations": int(m.optimizer.iterations.numpy()),
                      "params": m.count_params()}
json.dump(expected, open(os.path.join(out, "small_expected.json"), "w"))

bn = keras.Sequential([
    keras.Input((28, 28)), L.Reshape((28, 28, 1)), L.RandomRotation(0.03, fill_mode="constant"),
    L.RandomZoom(0.1, fill_mode="constant"), L.RandomTranslation(0.1, 0.1, fill_mode="constant"),
    L.Conv2D(8, 3, use_bias=False, padding="same"), L.BatchNormalization(), L.Activation("relu"),
    L.AveragePooling2D(2), L.Conv2D(16, 3, use_bias=False), L.BatchNormalization(), L.LeakyReLU(),
    L.GlobalAveragePooling2D(), L.Dropout(0.3), L.Dense(10, activation="softmax")], name="bn_aug")
bn.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
           loss="categorical_crossentropy", metrics=["accuracy"])
config, _ = saving_lib._serialize_model_as_json(bn)
open(os.path.join(out, "bn_aug_config.json"), "w").write(config)
print("params", {k: v["params"] for k, v in expected.items()}, "bn_aug", bn.count_params())
