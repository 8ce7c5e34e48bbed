"""The Python peer of `tf-mnist serve` in `make bench-serve`: the server a Python user would write
around the same SavedModels, FastAPI + uvicorn + tf.saved_model.load, with TF Serving's
`:predict` row form.

    MODELS=models uvicorn --app-dir python serve_fastapi:app --port 8601

serves every models/<name>/<newest version>/ at POST /v1/models/<name>:predict.
"""
import os
import pathlib

import numpy as np
import tensorflow as tf
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

MODELS_DIR = pathlib.Path(os.environ.get("MODELS", "models"))


def newest(model_dir):
    versions = [p for p in model_dir.iterdir() if p.name.isdigit() and (p / "saved_model.pb").exists()]
    return max(versions, key=lambda p: int(p.name)) if versions else None


SIGNATURES = {}
for d in sorted(p for p in MODELS_DIR.iterdir() if p.is_dir()):
    v = newest(d)
    if v is not None:
        SIGNATURES[d.name] = tf.saved_model.load(str(v)).signatures["serving_default"]

app = FastAPI()


class PredictRequest(BaseModel):
    instances: list


@app.post("/v1/models/{name}:predict")
def predict(name: str, request: PredictRequest):
    signature = SIGNATURES.get(name)
    if signature is None:
        raise HTTPException(status_code=404, detail=f"no model {name}")
    out = signature(image=tf.constant(np.asarray(request.instances, dtype=np.float32)))
    classes = out["class"].numpy().tolist()
    probabilities = out["probabilities"].numpy().tolist()
    return {"predictions": [{"class": c, "probabilities": p} for c, p in zip(classes, probabilities)]}
