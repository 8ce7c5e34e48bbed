"""`make bench-inference`'s Python side: batch inference of a tf-mnist SavedModel in Python's
TensorFlow (`savedmodel`: tf.saved_model.load, batches of 1,000), or of the same layers as the
Keras CNN example in Keras (`keras`: model.predict(batch_size=1000)), on N images with the same
sparse ink as the Java side (bench/InferenceTiming.java): one warm-up pass, the median of 5.

    python python/inference_timing.py MODEL_DIR N savedmodel|keras
"""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_keras import INFERENCE_BATCH, INFERENCE_RUNS, model_for  # noqa: E402


def main():
    model_dir, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    r = np.random.RandomState(1)
    x = np.where(r.rand(n, 28, 28) < 0.2, r.rand(n, 28, 28), 0).astype(np.float32)
    if mode == "savedmodel":
        f = tf.saved_model.load(model_dir).signatures["serving_default"]

        def run():
            for s in range(0, n, INFERENCE_BATCH):
                f(image=tf.constant(x[s:s + INFERENCE_BATCH]))["probabilities"].numpy()
    else:
        m = model_for("cnn")[0]

        def run():
            m.predict(x, batch_size=INFERENCE_BATCH, verbose=0)
    run()
    t = []
    for _ in range(INFERENCE_RUNS):
        t0 = time.perf_counter()
        run()
        t.append(time.perf_counter() - t0)
    median = float(np.median(t))
    print("%s (TensorFlow %s): median %.3f s for %d images: %.0f images/s"
          % (mode, tf.__version__, median, n, n / median))


if __name__ == "__main__":
    main()
