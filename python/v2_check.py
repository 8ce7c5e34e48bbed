"""KServe's Open Inference Protocol (v2) part of the serve check: a client written from the spec
(kserve/kserve docs/predict-api/v2/required_api.md and Triton's binary tensor extension), with
plain `requests`, against the `tf-mnist serve` that serve_check.py started. The answers must be
what tf.saved_model.load computes, and the same as the v1 route's, in every form: nested or flat
FP32 data, UINT8 pixels 0-255, binary input and output data; only the requested outputs come
back, `id` is echoed, and the spec's errors are {"error": ...} with a 4xx.
"""
import json

import numpy as np
import requests
import tensorflow as tf

from check_common import compare, fail, ok

TIMEOUT = 60


def expect(r, status, what):
    if r.status_code != status:
        fail("%s answered %d, expected %d: %s" % (what, r.status_code, status, r.text[:300]))
    return r


def error(r, status, what):
    expect(r, status, what)
    body = r.json()
    if set(body) != {"error"} or not isinstance(body["error"], str):
        fail("%s: the error body is not {\"error\": ...}: %s" % (what, r.text[:300]))
    return body["error"]


def check(url, name, version, x, signature, v1_probs):
    """x: float32 images [n, 28, 28] in 0-1; signature: the SavedModel's serving_default as
    tf.saved_model.load gives it; v1_probs: what :predict answered for x."""
    expected = signature(image=tf.constant(x))
    v2 = url + "v2"
    model = "%s/models/%s" % (v2, name)

    # health: the status code is the answer, the body is empty
    for route in ("/health/live", "/health/ready"):
        r = expect(requests.get(v2 + route, timeout=TIMEOUT), 200, "GET v2" + route)
        if r.content:
            fail("GET v2%s has a body: %r" % (route, r.content[:100]))
    expect(requests.get(model + "/ready", timeout=TIMEOUT), 200, "model ready")
    expect(requests.get("%s/versions/%d/ready" % (model, version), timeout=TIMEOUT), 200,
           "version ready")
    server = expect(requests.get(v2, timeout=TIMEOUT), 200, "GET v2").json()
    if not {"name", "version", "extensions"} <= set(server) \
            or "binary_tensor_data" not in server["extensions"]:
        fail("server metadata lacks name, version or the binary extension: %s" % server)
    meta = expect(requests.get(model, timeout=TIMEOUT), 200, "model metadata").json()
    inputs = meta["inputs"]
    if meta["name"] != name or str(version) not in meta["versions"] \
            or inputs != [{"name": "image", "datatype": "FP32", "shape": [-1, 28, 28]}]:
        fail("model metadata: %s" % json.dumps(meta)[:400])
    outs = {o["name"]: o for o in meta["outputs"]}
    if outs.get("probabilities", {}).get("shape") != [-1, 10] \
            or outs["probabilities"]["datatype"] != "FP32":
        fail("model metadata outputs: %s" % meta["outputs"])
    ok("v2 health, server metadata (%s %s, extensions %s), model metadata (%s %s %s)"
       % (server["name"], server["version"], server["extensions"], inputs[0]["name"],
          inputs[0]["datatype"], inputs[0]["shape"]))

    n = len(x)
    probs_want = expected["probabilities"].numpy()

    def infer(body, **kw):
        if body is not None:
            kw["json"] = body
        return requests.post("%s/versions/%d/infer" % (model, version), timeout=TIMEOUT, **kw)

    # nested FP32, every output, the id echoed
    r = expect(infer({"id": "req-42", "inputs": [
        {"name": "image", "shape": [n, 28, 28], "datatype": "FP32", "data": x.tolist()}]}),
        200, "infer (nested FP32)")
    body = r.json()
    if body.get("id") != "req-42" or body.get("model_name") != name \
            or body.get("model_version") != str(version):
        fail("infer's id, model_name or model_version: %s" % json.dumps(body)[:300])
    got = {o["name"]: o for o in body["outputs"]}
    p = got["probabilities"]
    if p["datatype"] != "FP32" or p["shape"] != [n, 10] or len(p["data"]) != n * 10:
        fail("probabilities output: %s" % json.dumps(p)[:300])
    probs = np.array(p["data"], dtype=np.float32).reshape(n, 10)
    compare("v2 infer (nested FP32) vs tf.saved_model.load", probs_want, probs)
    if got["class"]["data"] != expected["class"].numpy().tolist():
        fail("v2 classes %s differ from the SavedModel's" % got["class"]["data"])
    if not np.array_equal(probs, v1_probs):
        fail("v2 and v1 (:predict) give different probabilities for the same images")
    ok("v2 infer = v1 :predict, bit for bit; id echoed")

    # flat FP32, one output asked for: only it comes back
    r = expect(infer({"inputs": [{"name": "image", "shape": [n, 28, 28], "datatype": "FP32",
                                  "data": x.reshape(-1).tolist()}],
                      "outputs": [{"name": "probabilities"}]}), 200, "infer (flat FP32)")
    names = [o["name"] for o in r.json()["outputs"]]
    if names != ["probabilities"] or "id" in r.json():
        fail("asked for probabilities only, got %s (and id %s)" % (names, r.json().get("id")))
    compare("v2 infer (flat FP32, outputs=[probabilities])", probs_want,
            np.array(r.json()["outputs"][0]["data"], dtype=np.float32).reshape(n, 10))

    # UINT8 pixels 0-255, the model gets pixels / 255
    u8 = np.round(x * 255).astype(np.uint8)
    r = expect(infer({"inputs": [{"name": "image", "shape": [n, 28, 28], "datatype": "UINT8",
                                  "data": u8.tolist()}]}), 200, "infer (UINT8)")
    probs_u8 = np.array({o["name"]: o for o in r.json()["outputs"]}["probabilities"]["data"],
                        dtype=np.float32).reshape(n, 10)
    scaled = signature(image=tf.constant(u8.astype(np.float32) / 255))["probabilities"].numpy()
    compare("v2 infer (UINT8 0-255) vs tf.saved_model.load on pixels / 255", scaled, probs_u8)

    # the binary tensor extension: raw little-endian input, binary output
    header = json.dumps({"inputs": [{"name": "image", "shape": [n, 28, 28], "datatype": "UINT8",
                                     "parameters": {"binary_data_size": u8.nbytes}}],
                         "outputs": [{"name": "probabilities",
                                      "parameters": {"binary_data": True}}]}).encode()
    r = expect(infer(None, data=header + u8.tobytes(), headers={
        "Inference-Header-Content-Length": str(len(header)),
        "Content-Type": "application/octet-stream"}), 200, "infer (binary)")
    length = int(r.headers["Inference-Header-Content-Length"])
    head = json.loads(r.content[:length])
    size = head["outputs"][0]["parameters"]["binary_data_size"]
    if size != n * 10 * 4 or len(r.content) != length + size:
        fail("binary output: %s and %d bytes" % (head, len(r.content)))
    binary = np.frombuffer(r.content[length:], dtype="<f4").reshape(n, 10)
    if not np.array_equal(binary, probs_u8):
        fail("binary input/output differs from the JSON UINT8 request's answer")
    ok("v2 infer: UINT8 pixels as JSON and as binary data (%d bytes in, %d out) agree"
       % (u8.nbytes, size))

    # errors, in the spec's shape
    one = {"name": "image", "shape": [1, 28, 28], "datatype": "FP32", "data": [0.0] * 784}
    errs = [
        error(infer({"inputs": [dict(one, name="pixels")]}), 400, "an unknown input"),
        error(infer({"inputs": [dict(one, shape=[1, 784])]}), 400, "a wrong shape"),
        error(infer({"inputs": [dict(one, data=[0.0] * 783)]}), 400, "too few values"),
        error(infer({"inputs": [dict(one, datatype="BYTES")]}), 400, "a wrong datatype"),
        error(infer({"inputs": [one], "outputs": [{"name": "logits"}]}), 400,
              "an unknown output"),
        error(infer(None, data=b"{not json", headers={"Content-Type": "application/json"}), 400,
              "bad JSON"),
        error(requests.post("%s/models/nope/infer" % v2, json={"inputs": [one]},
                            timeout=TIMEOUT), 404, "an unknown model"),
    ]
    expect(requests.get("%s/versions/%d/ready" % (model, version + 100), timeout=TIMEOUT), 400,
           "an unknown version's readiness")
    ok("v2 errors: 400/404 with {\"error\": ...}, e.g. %s" % json.dumps(errs[0]))
