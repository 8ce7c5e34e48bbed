"""Writes the Keras fixtures the Java tests read (run with Keras 3.15.1):
tiny.keras, tiny.h5: Input(4) -> Dense(3, relu) -> Dense(2, softmax), Adam, one step trained;
tiny_expected.json: its weights and optimizer variables as Keras holds them;
mlp_config.json: the config.json Keras writes for the mlp preset's network, compiled with
RMSprop and categorical cross-entropy (for a .keras assembled in Java)."""
import json, os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras

out = os.path.dirname(os.path.abspath(__file__))
keras.utils.set_random_seed(3)
m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"),
                      keras.layers.Dense(2, activation="softmax")])
m.compile(optimizer="adam", loss="categorical_crossentropy")
x = np.random.rand(8, 4).astype("float32")
y = keras.utils.to_categorical(np.arange(8) % 2, 2)
m.fit(x, y, batch_size=8, epochs=1, verbose=0)
m.save(os.path.join(out, "tiny.keras"))
m.save(os.path.join(out, "tiny.h5"))
expected = {"weights": [w.numpy().ravel().tolist() for w in m.weights],
            "optimizer": [np.asarray(v.numpy()).ravel().tolist() for v in m.optimizer.variables]}
json.dump(expected, open(os.path.join(out, "tiny_expected.json"), "w"))

mlp = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                        keras.layers.Dense(512, activation="relu"),
                        keras.layers.Dense(10, activation="softmax")], name="mlp")
mlp.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
from keras.src.saving import saving_lib
config, _ = saving_lib._serialize_model_as_json(mlp)
open(os.path.join(out, "mlp_config.json"), "w").write(config)
print("wrote", sorted(os.listdir(out)))
