#!/usr/bin/env bash
# make image-check: runs the image that `make image` wrote (target/tf-mnist-image.tar) and checks
# it as a user of the image would: the server starts on a mounted models directory, becomes
# ready, answers a :predict on a test digit, runs as uid 10001, and stops cleanly on SIGTERM.
#
#   deploy/image-check.sh [IMAGE_TAR] [MODELS_DIR]
#
# With podman (installed from Debian when missing and run as root) it `podman load`s the tarball
# and `podman run`s it. Where podman cannot start a container (a sandbox that forbids setrlimit or
# namespaces), it says so and runs the image as a container runtime would instead: the OCI
# layers unpacked in order into a root filesystem, the models bind-mounted read-only at /models,
# the config's entrypoint, environment, working directory and user (10001) applied, in a fresh
# network, mount and PID namespace (so the server's 0.0.0.0:8501 is the namespace's own).
# Readiness: GET /v2/health/ready (KServe's v2 route, the image's health check). Each step has a
# time limit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tarball="${1:-target/tf-mnist-image.tar}"
models="${2:-target/image-check/models}"
work=target/image-check
port="${CHECK_PORT:-18501}"
ready_limit="${READY_LIMIT:-180}"
model=mlp
log() { echo "image-check: $*"; }
die() {
  echo "image-check FAILED: $*" >&2
  exit 1
}

# --- what runs inside the namespaces of the fallback (see the end of this file) --------------------
if [ "${1:-}" = --inside ]; then
  rootfs="$2"
  models="$3"
  shift 3
  ip link set lo up
  mount --make-rprivate /
  # as deploy/k8s runs it: a read-only root filesystem, /tmp the one writable place (an emptyDir)
  mount --bind "$rootfs" "$rootfs"
  mount -t tmpfs -o size=1g,mode=1777 tmpfs "$rootfs/tmp"
  mount -t proc proc "$rootfs/proc"
  mount --rbind /dev "$rootfs/dev"
  mount --bind "$models" "$rootfs/models"
  mount -o remount,bind,ro "$rootfs/models"
  mount -o remount,bind,ro "$rootfs"
  # the config's environment, then HOME from the image's passwd entry, as runtimes set it
  mapfile -t env < "$rootfs.env"
  mapfile -t entrypoint < "$rootfs.entrypoint"
  chroot --userspec=10001:10001 --groups=10001 "$rootfs" \
    env -i "${env[@]}" HOME=/home/tf-mnist \
    sh -c 'cd "$0" && exec "$@"' "$(cat "$rootfs.workdir")" "${entrypoint[@]}" \
    > "$rootfs.log" 2>&1 &
  pid=$!
  export CHECK_PID=$pid
  if chroot --userspec=10001:10001 "$rootfs" sh -c ': > /home/tf-mnist/probe' 2>/dev/null; then
    die "the root filesystem is writable"
  fi
  log "root filesystem read-only (a write to /home/tf-mnist is refused), /tmp a tmpfs"
  rc=0
  "$0" --probe 8501 || rc=$?
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; die "the server did not stop within 30 s of SIGTERM"; fi
  wait "$pid" && stop=0 || stop=$?
  [ "$rc" = 0 ] || exit "$rc"
  [ "$stop" = 0 ] || die "the server exited $stop after SIGTERM, not 0 (log: $rootfs.log)"
  log "stopped on SIGTERM, exit 0"
  exit 0
fi

# --- the probes: ready, :predict, the user -------------------------------------------------------
if [ "${1:-}" = --probe ]; then
  p="$2"
  base="http://127.0.0.1:$p"
  c() { curl -s -m 10 "$@"; }
  start=$(date +%s)
  while :; do
    [ "$(c -o /dev/null -w '%{http_code}' "$base/v2/health/ready" || true)" = 200 ] && break
    [ $(($(date +%s) - start)) -lt "$ready_limit" ] || die "not ready within ${ready_limit} s"
    if [ -n "${CHECK_PID:-}" ] && ! kill -0 "$CHECK_PID" 2>/dev/null; then die "the server exited before it was ready"; fi
    sleep 1
  done
  log "ready after $(($(date +%s) - start)) s (GET /v2/health/ready)"
  # the first test digit (a 7), scaled to [0, 1] as the models expect
  python3 - "$root/data/mnist/t10k-images-idx3-ubyte" > "$work/request.json" <<'PY'
import json, sys
with open(sys.argv[1], "rb") as f:
    f.seek(16)
    px = f.read(784)
print(json.dumps({"instances": [[[px[r * 28 + c] / 255 for c in range(28)] for r in range(28)]]}))
PY
  c -X POST -H 'Content-Type: application/json' --data-binary "@$work/request.json" \
    "$base/v1/models/$model:predict" > "$work/response.json" || die "POST :predict failed"
  python3 - "$work/response.json" <<'PY' || die "wrong :predict answer: $(head -c 300 "$work/response.json")"
import json, sys
p = json.load(open(sys.argv[1]))["predictions"][0]
probs = p["probabilities"] if isinstance(p, dict) else p
assert len(probs) == 10 and abs(sum(probs) - 1) < 1e-4, probs
assert max(range(10), key=probs.__getitem__) == 7, probs
print("image-check: POST /v1/models/mlp:predict on test digit 0: 7 (p=%.4f)" % max(probs))
PY
  # the same digit through KServe's v2 protocol, as UINT8 pixels
  python3 - "$root/data/mnist/t10k-images-idx3-ubyte" > "$work/infer.json" <<'PY'
import json, sys
with open(sys.argv[1], "rb") as f:
    f.seek(16)
    px = list(f.read(784))
print(json.dumps({"id": "image-check", "inputs": [
    {"name": "image", "shape": [1, 28, 28], "datatype": "UINT8", "data": px}]}))
PY
  c -X POST -H 'Content-Type: application/json' --data-binary "@$work/infer.json" \
    "$base/v2/models/$model/infer" > "$work/infer-response.json" || die "POST v2 infer failed"
  python3 - "$work/infer-response.json" <<'PY' || die "wrong v2 answer: $(head -c 300 "$work/infer-response.json")"
import json, sys
r = json.load(open(sys.argv[1]))
out = {o["name"]: o for o in r["outputs"]}
probs = out["probabilities"]["data"]
assert r["id"] == "image-check" and len(probs) == 10 and abs(sum(probs) - 1) < 1e-4, r
assert max(range(10), key=probs.__getitem__) == 7, probs
print("image-check: POST /v2/models/mlp/infer (UINT8) on test digit 0: 7 (p=%.4f)" % max(probs))
PY
  if [ -n "${CHECK_PID:-}" ]; then
    # chroot, env, sh and the launcher each exec the next: the process is the JVM itself
    uid=$(awk '/^Uid:/ {print $2}' "/proc/$CHECK_PID/status")
  else
    uid=$(podman exec "$CHECK_CONTAINER" sh -c 'id -u')
  fi
  [ "$uid" = 10001 ] || die "the server runs as uid $uid, not 10001"
  log "the server runs as uid $uid"
  # the image's health check, run inside it, on its default route
  hpath=/v2/health/ready
  if [ -n "${CHECK_PID:-}" ]; then
    chroot --userspec=10001:10001 "$ROOTFS" /usr/local/bin/tf-mnist-health "$hpath" ||
      die "tf-mnist-health $hpath failed"
  else
    podman exec "$CHECK_CONTAINER" tf-mnist-health "$hpath" || die "tf-mnist-health $hpath failed"
  fi
  log "tf-mnist-health $hpath (the image's health check, in the image): ready"
  exit 0
fi

# --- the check -------------------------------------------------------------------------------------
[ -f "$tarball" ] || die "$tarball is missing: make image first"
mkdir -p "$work"
if [ ! -f "$models/$model/1/saved_model.pb" ]; then
  log "training a small model into $models (mlp, 1 epoch on 2,000 images)"
  timeout 600 bin/tf-mnist train --preset mlp --epochs 1 --train-limit 2000 --test-limit 500 \
    --seed 1 --models-dir "$models" --no-checkpoints --progress lines > "$work/train.log"
fi
models="$(cd "$models" && pwd)"
log "image tarball $tarball: $(du -m "$tarball" | cut -f1) MB (layers gzip-compressed)"
# one platform's TensorFlow natives: the Java half and linux-x86_64's jar, no other platform's
python3 - "$tarball" <<'PY' || die "the image's TensorFlow jars are not the Java half and linux-x86_64's alone"
import json, re, sys, tarfile
outer = tarfile.open(sys.argv[1])
read = lambda name: outer.extractfile(name).read()
blob = lambda digest: "blobs/" + digest.replace(":", "/")
index = json.loads(read("index.json"))
manifest = json.loads(read(blob(index["manifests"][0]["digest"])))
jars = sorted(
    m.name.rsplit("/", 1)[1]
    for layer in manifest["layers"]
    for m in tarfile.open(fileobj=outer.extractfile(blob(layer["digest"])), mode="r:gz")
    if re.search(r"app/libs/tensorflow-core-native-[^/]*\.jar$", m.name))
print("image-check: TensorFlow natives in the image:", ", ".join(jars))
assert len(jars) == 2 and any(j.endswith("-linux-x86_64.jar") for j in jars), jars
PY

if ! command -v podman >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "installing Debian's podman"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman crun > "$work/apt.log" 2>&1 ||
    { apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman crun > "$work/apt.log" 2>&1; } ||
    log "podman did not install (see $work/apt.log)"
fi

name=tf-mnist-image-check
if command -v podman >/dev/null; then
  ref=$(timeout 300 podman load -q -i "$tarball" | sed -n 's/^Loaded image: //p' | tail -1)
  [ -n "$ref" ] || die "podman load $tarball loaded nothing"
  log "podman load: $ref, $(podman image inspect "$ref" --format '{{.Size}}' | awk '{printf "%d MB unpacked", $1 / 1e6}')"
  podman rm -f "$name" > /dev/null 2>&1 || true
  if timeout 120 podman run -d --name "$name" -p "127.0.0.1:$port:8501" -v "$models:/models:ro" \
    --health-cmd tf-mnist-health "$ref" > "$work/podman-run.log" 2>&1; then
    trap 'podman rm -f "$name" > /dev/null 2>&1 || true' EXIT
    CHECK_CONTAINER=$name "$0" --probe "$port" || { podman logs "$name" | tail -20; exit 1; }
    podman healthcheck run "$name" || die "podman healthcheck run: not healthy"
    log "podman healthcheck (tf-mnist-health on /v2/health/ready): healthy"
    timeout 60 podman stop -t 30 "$name" > /dev/null
    code=$(podman inspect "$name" --format '{{.State.ExitCode}}')
    [ "$code" = 0 ] || die "the container exited $code after SIGTERM, not 0"
    log "stopped on SIGTERM, exit 0"
    log "passed (podman)"
    exit 0
  fi
  podman rm -f "$name" > /dev/null 2>&1 || true
  log "podman cannot start a container here: $(tail -1 "$work/podman-run.log")"
else
  log "no podman on this machine"
fi

# --- the fallback: the OCI layers unpacked and run as a runtime would --------------------------------
log "running the image without a container runtime: OCI layers unpacked, entrypoint run in new namespaces as uid 10001"
[ "$(id -u)" = 0 ] || die "unpacking the image and running it in namespaces needs root"
rootfs="$root/$work/rootfs"
rm -rf "$rootfs" "$work/oci" && mkdir -p "$rootfs" "$work/oci"
tar -xf "$tarball" -C "$work/oci"
python3 - "$work/oci" "$rootfs" <<'PY'
import json, os, sys
oci, rootfs = sys.argv[1:]
blob = lambda d: os.path.join(oci, "blobs", *d.split(":"))
index = json.load(open(os.path.join(oci, "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
config = json.load(open(blob(manifest["config"]["digest"])))["config"]
assert config.get("User") == "10001:10001", config.get("User")
with open(rootfs + ".layers", "w") as f:
    f.write("\n".join(blob(l["digest"]) for l in manifest["layers"]) + "\n")
open(rootfs + ".env", "w").write("\n".join(config.get("Env", [])) + "\n")
open(rootfs + ".workdir", "w").write(config.get("WorkingDir") or "/")
open(rootfs + ".entrypoint", "w").write("\n".join(config["Entrypoint"] + (config.get("Cmd") or [])) + "\n")
print("image-check: config: user %s, ports %s, entrypoint %s"
      % (config["User"], " ".join(config.get("ExposedPorts", {})), " ".join(config["Entrypoint"])))
PY
while read -r layer; do
  # whiteouts would delete files of lower layers; these layers have none, and a future one is refused
  if tar -tzf "$layer" --warning=no-unknown-keyword | grep -q '\.wh\.'; then die "$layer has whiteout entries; this fallback does not apply them"; fi
  tar -xzf "$layer" -C "$rootfs" --numeric-owner --same-permissions --warning=no-unknown-keyword
done < "$rootfs.layers"
log "unpacked $(wc -l < "$rootfs.layers") layers: $(du -sm "$rootfs" | cut -f1) MB"
ROOTFS="$rootfs" timeout -k 10 $((ready_limit + 120)) \
  unshare --net --mount --pid --fork --mount-proc --kill-child "$0" --inside "$rootfs" "$models" ||
  { echo "--- server log:"; tail -20 "$rootfs.log"; exit 1; }
rm -rf "$rootfs" "$work/oci"
log "passed (unpacked OCI layers in namespaces; podman could not start containers here)"
