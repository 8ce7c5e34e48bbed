"""Makes the small Keras SavedModels KerasExportTest and KerasExportCliTest read, in the directory
given (`make python-check` runs them with -Dtfmnist.kerasExports=DIR; nothing is committed):
both/      Keras 3's model.export(): endpoint 'serve', also under the alias 'serving_default';
serve-only/ that export with 'serving_default' taken out: 'serve' is its only signature (Keras
            never writes one alone: ExportArchive.write_out adds 'serving_default' for the first
            endpoint; tf.saved_model.save(..., signatures={"serve": f}) does).
custom/    ExportArchive with one endpoint of its own name, 'classify_digits' (and Keras' alias).
The model: Flatten, Dense(10, softmax) on (28, 28) images, weights from seed 7."""
import os
import sys

import keras
import tensorflow as tf

os.makedirs(sys.argv[1], exist_ok=True)
os.chdir(sys.argv[1])

keras.utils.set_random_seed(7)
m = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                      keras.layers.Dense(10, activation="softmax")])
m.export("both", verbose=False)


# the same export with its 'serving_default' alias taken out of the signature map
import shutil
from tensorflow.core.protobuf import saved_model_pb2

shutil.copytree("both", "serve-only")
sm = saved_model_pb2.SavedModel()
with open("serve-only/saved_model.pb", "rb") as f:
    sm.ParseFromString(f.read())
del sm.meta_graphs[0].signature_def["serving_default"]
with open("serve-only/saved_model.pb", "wb") as f:
    f.write(sm.SerializeToString())


# an endpoint named by the user: Keras adds 'serving_default' as the alias of the first endpoint
archive = keras.export.ExportArchive()
archive.track(m)
archive.add_endpoint(
    name="classify_digits",
    fn=m.call,
    input_signature=[keras.InputSpec(shape=(None, 28, 28), dtype="float32")],
)
archive.write_out("custom", verbose=False)
