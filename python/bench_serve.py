"""`make bench-serve`: load on loopback against `tf-mnist serve` (batching on and off) and the
Python peer a user would write (FastAPI + uvicorn around tf.saved_model.load of the same
SavedModel), one after the other on this machine, with wrk.

For each server, model and number of concurrent clients: requests/s, p50/p99 latency, errors,
and (Java) the mean batch size read from the server's Prometheus metrics. Plus, on the Java
server, KServe v2 inference of the same image (JSON, and UINT8 bytes with the binary tensor
extension) and the picture route with PNG uploads. Every run is bounded in time; traffic goes to
127.0.0.1 only.
"""
import argparse
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import mnist_data  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
LUA = ROOT / "python" / "bench_serve.lua"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, path, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + path, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            pass
        time.sleep(0.25)
    raise SystemExit(f"bench-serve: {url}{path} did not answer 200 within {timeout} s")


def metrics(url):
    with urllib.request.urlopen(url + "monitoring/prometheus/metrics", timeout=10) as r:
        return r.read().decode()


def batch_totals(text, model):
    """(count, sum) of the processed batch size histogram of `model`."""
    out = []
    for suffix in ("count", "sum"):
        m = re.search(r":tensorflow:serving:batching_session:processed_batch_size_%s"
                      r"\{thread_pool_name=\"%s\"\} ([0-9.e+]+)" % (suffix, re.escape(model)), text)
        out.append(float(m.group(1)) if m else 0.0)
    return out


def wrk(url, body, ctype, clients, seconds, header_length=None):
    env = dict(os.environ, BODY=str(body), CTYPE=ctype)
    if header_length is not None:
        env["HEADER_LENGTH"] = str(header_length)
    threads = min(2, clients)
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s",
           "-s", str(LUA), url]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    line = [l for l in out.splitlines() if l.startswith("{")][-1]
    r = json.loads(line)
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors_total"] = sum(r["errors"].values())
    return r


def run_series(side, url, bodies, models, clients_list, seconds, warmup, results, batched,
               server_warmup):
    # the first load on a fresh server: the JVM's JIT (or Python's first TF calls) settle
    wrk(f"{url}v1/models/{models[0]}:predict", bodies[models[0]], "application/json",
        max(clients_list), server_warmup)
    for model in models:
        for clients in clients_list:
            target = f"{url}v1/models/{model}:predict"
            wrk(target, bodies[model], "application/json", clients, warmup)
            before = batch_totals(metrics(url), model) if batched is not None else None
            r = wrk(target, bodies[model], "application/json", clients, seconds)
            if before is not None:
                after = batch_totals(metrics(url), model)
                runs = after[0] - before[0]
                r["mean_batch"] = (after[1] - before[1]) / runs if runs else None
            r.update(side=side, model=model, route="predict", clients=clients)
            results.append(r)
            report(r)


def run_v2(side, url, v2_bodies, models, clients_list, seconds, warmup, results):
    """KServe v2 inference of the same image: JSON (FP32, nested) and the binary tensor extension
    (UINT8 bytes after the JSON), beside the v1 :predict rows."""
    for model in models:
        for route, (body, ctype, hlen) in v2_bodies[model].items():
            for clients in clients_list:
                target = f"{url}v2/models/{model}/infer"
                wrk(target, body, ctype, clients, warmup, hlen)
                r = wrk(target, body, ctype, clients, seconds, hlen)
                r.update(side=side, model=model, route=route, clients=clients)
                results.append(r)
                report(r)


def report(r):
    mb = r.get("mean_batch")
    print(f"{r['side']:<16} {r['model']:<4} {r['route']:<9} {r['clients']:>3} clients "
          f"{r['rps']:>9,.0f} req/s  p50 {r['p50_us'] / 1000:>7.2f} ms  "
          f"p99 {r['p99_us'] / 1000:>7.2f} ms  errors {r['errors_total']:>4}"
          + (f"  mean batch {mb:5.1f}" if mb else ""), flush=True)


def start(cmd, env=None):
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            cwd=ROOT)


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(60)
    except subprocess.TimeoutExpired:
        p.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="models")
    ap.add_argument("--model-names", default="cnn,mlp")
    ap.add_argument("--clients", default="1,8,64")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2, help="seconds of load before each run")
    ap.add_argument("--server-warmup", type=int, default=15,
                    help="seconds of load on a freshly started server before the first run")
    ap.add_argument("--sides", default="java,java-unbatched,fastapi,fastapi-2workers")
    ap.add_argument("--out", default="target/bench-serve")
    a = ap.parse_args()

    models = a.model_names.split(",")
    clients = [int(c) for c in a.clients.split(",")]
    for m in models:
        if not any(p.name.isdigit() for p in (ROOT / a.models / m).glob("*")):
            raise SystemExit(f"bench-serve: no exported model {a.models}/{m}: train it first "
                             f"(make train-{m})")
    out = ROOT / a.out
    out.mkdir(parents=True, exist_ok=True)
    (_, _), (x_test, _) = mnist_data.load(str(ROOT / "data"))
    image = (x_test[:1] / 255.0).astype(np.float32)
    bodies = {}
    for m in models:
        bodies[m] = out / f"predict-{m}.json"
        bodies[m].write_text(json.dumps({"instances": image.tolist()}))
    v2_bodies = {}
    u8 = np.round(image * 255).astype(np.uint8)
    for m in models:
        v2_json = out / f"infer-{m}.json"
        v2_json.write_text(json.dumps({"inputs": [{"name": "image", "shape": [1, 28, 28],
                                                   "datatype": "FP32",
                                                   "data": image.tolist()}]}))
        head = json.dumps({"inputs": [{"name": "image", "shape": [1, 28, 28],
                                       "datatype": "UINT8",
                                       "parameters": {"binary_data_size": u8.nbytes}}],
                           "outputs": [{"name": "probabilities",
                                        "parameters": {"binary_data": True}}]}).encode()
        v2_bin = out / f"infer-{m}.bin"
        v2_bin.write_bytes(head + u8.tobytes())
        v2_bodies[m] = {"v2-json": (v2_json, "application/json", None),
                        "v2-binary": (v2_bin, "application/octet-stream", len(head))}
    subprocess.run([str(ROOT / "bin/tf-mnist"), "show", "canvases", "--count", "3", "--start",
                    "0", "--out-dir", str(out / "canvas")], check=True, stdout=subprocess.DEVNULL)
    png = sorted((out / "canvas").glob("*-transparent.png"))[0]

    results = []
    sides = a.sides.split(",")
    for side in ("java", "java-unbatched"):
        if side not in sides:
            continue
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        cmd = [str(ROOT / "bin/tf-mnist"), "serve", "--models", a.models, "--port", str(port)]
        if side == "java-unbatched":
            cmd.append("--no-batching")
        p = start(cmd)
        try:
            wait_ready(url, "readyz")
            run_series(side, url, bodies, models, clients, a.seconds, a.warmup, results,
                       batched=True if side == "java" else None,
                       server_warmup=a.server_warmup)
            if side == "java":
                run_v2(side, url, v2_bodies, models, clients, a.seconds, a.warmup, results)
            if side == "java" and "cnn" in models:
                for c in clients:
                    target = f"{url}v1/models/cnn:recognize"
                    wrk(target, png, "image/png", c, a.warmup)
                    before = batch_totals(metrics(url), "cnn")
                    r = wrk(target, png, "image/png", c, a.seconds)
                    after = batch_totals(metrics(url), "cnn")
                    runs = after[0] - before[0]
                    r["mean_batch"] = (after[1] - before[1]) / runs if runs else None
                    r.update(side=side, model="cnn", route="recognize", clients=c)
                    results.append(r)
                    report(r)
        finally:
            stop(p)
    for side, workers in (("fastapi", 1), ("fastapi-2workers", 2)):
        if side not in sides:
            continue
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        env = dict(os.environ, MODELS=str(ROOT / a.models), TF_CPP_MIN_LOG_LEVEL="2")
        p = start([sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "python"),
                   "serve_fastapi:app", "--host", "127.0.0.1", "--port", str(port),
                   "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
                  env=env)
        try:
            wait_ready(url, "docs")
            run_series(side, url, bodies, models, clients, a.seconds, a.warmup, results,
                       batched=None, server_warmup=a.server_warmup)
        finally:
            stop(p)

    (out / "results.json").write_text(json.dumps(results, indent=1))
    print(f"\nwrote {out / 'results.json'}")
    summary(results)


def summary(results):
    def rps(side, model, c, route="predict"):
        for r in results:
            if r["side"] == side and r["model"] == model and r["clients"] == c \
                    and r["route"] == route:
                return r["rps"]
        return None

    for model in sorted({r["model"] for r in results}):
        for c in sorted({r["clients"] for r in results}):
            j, u, f1, f2 = (rps(s, model, c) for s in ("java", "java-unbatched", "fastapi",
                                                        "fastapi-2workers"))
            parts = []
            if j and u:
                parts.append(f"batching x{j / u:.2f}")
            if j and f1:
                parts.append(f"Java/FastAPI x{j / f1:.2f}")
            if j and f2:
                parts.append(f"Java/FastAPI(2 workers) x{j / f2:.2f}")
            for route in ("v2-json", "v2-binary"):
                v = rps("java", model, c, route)
                if j and v:
                    parts.append(f"{route}/v1 x{v / j:.2f}")
            if parts:
                print(f"{model} {c:>3} clients: " + ", ".join(parts))


if __name__ == "__main__":
    main()
