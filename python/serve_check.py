"""The serve part of tf-mnist's interop check (`interop_check.py serve`): starts `tf-mnist serve`
on the exported models and talks to it as a client written for TensorFlow Serving does (Python
`requests`, TF Serving's REST API): {"instances": x_test[:3].tolist()} and the columnar form give
the probabilities tf.saved_model.load gives; status and metadata have TF Serving's shape; bad
requests get 400/404 with {"error": ...}; KServe's v2 protocol answers the same (v2_check.py);
SIGTERM stops it with exit code 0. Nothing here can
hang: the server's output is read by a thread with a deadline for its URL, every request has a
timeout, and the server is killed if it outlives its SIGTERM by a minute.
"""
import json
import os
import queue
import signal
import subprocess
import threading

import numpy as np
import tensorflow as tf

import v2_check
from check_common import compare, fail, ok, test_images

# seconds: the server's start (TensorFlow's first load included), each request, the drain
START_TIMEOUT = 180
REQUEST_TIMEOUT = 60
STOP_TIMEOUT = 60


def read_lines(proc):
    """A queue of the server's output lines, fed by a thread that keeps draining the pipe (a
    full pipe would stall the server), None at its end."""
    lines = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)
    threading.Thread(target=pump, daemon=True).start()
    return lines


def wait_for_url(lines, proc):
    seen = []
    try:
        while True:
            line = lines.get(timeout=START_TIMEOUT)
            if line is None:
                fail("tf-mnist serve printed no URL and exited %s: %s"
                     % (proc.wait(STOP_TIMEOUT), "".join(seen)[-500:]))
            seen.append(line)
            if line.startswith("Drawing page: "):
                return line.split(": ", 1)[1].strip()
    except queue.Empty:
        fail("tf-mnist serve printed no URL within %d s: %s" % (START_TIMEOUT,
                                                              "".join(seen)[-500:]))


def serve(a):
    import requests

    models_dir = os.path.abspath(a.models)
    name = sorted(d for d in os.listdir(models_dir) if not d.startswith("."))[0]
    version = max(int(v) for v in os.listdir(os.path.join(models_dir, name)) if v.isdigit())
    proc = subprocess.Popen([a.tf_mnist, "serve", "--models", models_dir, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = wait_for_url(read_lines(proc), proc)
        x_test, _ = test_images(a.data_dir, 3)
        signature = tf.saved_model.load(os.path.join(models_dir, name, str(version))) \
            .signatures["serving_default"]
        expected = signature(image=tf.constant(x_test))

        # exactly what a TF Serving user writes
        r = requests.post(url + "v1/models/%s:predict" % name,
                          json={"instances": x_test[:3].tolist()}, timeout=REQUEST_TIMEOUT)
        if r.status_code != 200:
            fail(":predict answered %d: %s" % (r.status_code, r.text))
        predictions = r.json()["predictions"]
        probs = np.array([p["probabilities"] for p in predictions], dtype=np.float32)
        compare("serve :predict (instances) vs tf.saved_model.load",
                expected["probabilities"].numpy(), probs)
        if [p["class"] for p in predictions] != expected["class"].numpy().tolist():
            fail("serve :predict classes differ from the SavedModel's")
        r = requests.post(url + "v1/models/%s/versions/%d:predict" % (name, version),
                          json={"signature_name": "serving_default", "inputs": x_test.tolist()},
                          timeout=REQUEST_TIMEOUT)
        outputs = r.json()["outputs"]
        compare("serve :predict (inputs, /versions/%d)" % version,
                expected["probabilities"].numpy(),
                np.array(outputs["probabilities"], dtype=np.float32))

        status = requests.get(url + "v1/models/" + name, timeout=REQUEST_TIMEOUT).json()
        want = {"model_version_status": [{"version": str(version), "state": "AVAILABLE",
                                          "status": {"error_code": "OK", "error_message": ""}}]}
        if status != want:
            fail("status %s, TF Serving's shape is %s" % (status, want))
        ok("serve status: %s" % json.dumps(status))
        meta = requests.get(url + "v1/models/%s/metadata" % name,
                            timeout=REQUEST_TIMEOUT).json()
        sig = meta["metadata"]["signature_def"]["signature_def"]["serving_default"]
        dims = [d["size"] for d in sig["inputs"]["image"]["tensor_shape"]["dim"]]
        if meta["model_spec"] != {"name": name, "signature_name": "", "version": str(version)} \
                or dims != ["-1", "28", "28"] or sig["method_name"] != "tensorflow/serving/predict":
            fail("metadata does not have TF Serving's shape: %s" % json.dumps(meta)[:300])
        ok("serve metadata: image DT_FLOAT %s, outputs %s" % (dims, sorted(sig["outputs"])))

        bad = requests.post(url + "v1/models/%s:predict" % name, json={"instances": [[1, 2]]},
                            timeout=REQUEST_TIMEOUT)
        if bad.status_code != 400 or "error" not in bad.json():
            fail("a wrong shape answered %d %s" % (bad.status_code, bad.text))
        missing = requests.get(url + "v1/models/nope", timeout=REQUEST_TIMEOUT)
        if missing.status_code != 404:
            fail("an unknown model answered %d" % missing.status_code)
        ok("serve errors: wrong shape -> 400 %s; unknown model -> 404"
           % json.dumps(bad.json()))
        v2_check.check(url, name, version, x_test, signature, probs)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT)
            fail("tf-mnist serve did not stop within %d s of SIGTERM" % STOP_TIMEOUT)
    if code != 0:
        fail("tf-mnist serve exited %d after SIGTERM" % code)
    ok("serve: SIGTERM -> exit code 0")


