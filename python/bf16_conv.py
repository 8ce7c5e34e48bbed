"""TensorFlow's (Python's) bfloat16 Conv2D against float32 on 8 MNIST digits, for one input
channel (the first layer of every MNIST CNN) and for 32, with the oneDNN kernel that ran each.

TensorFlow 2.21's oneDNN bfloat16 convolution (jit_bf16 on AVX-512 CPUs) computes the
one-channel case wrongly: errors as large as the outputs, while float32, Eigen's bfloat16
(TF_ENABLE_ONEDNN_OPTS=0) and the 32-channel case are right. Keras under mixed_bfloat16 goes
through that kernel, so on such a CPU it is no reference for Java's mixed_bfloat16 results; the
layers check uses this probe to say why it sets Keras aside. Run alone it prints a line a case,
so the day TensorFlow fixes the kernel shows: `python bf16_conv.py [--data-dir data]`.
Java's own bfloat16 convolution is checked the same way by Bf16ConvTest.
"""
import argparse
import json
import os
import subprocess
import sys

# as Bf16ConvTest: bfloat16 rounds inputs and output to 8 significant bits and accumulates in
# float32, measured within 2^-8 of the output's scale; a wrong kernel is off by about the scale
BOUND = 2.0 ** -6
CASES = ((1, 32, (8, 28, 28)), (32, 64, (8, 14, 14)))
INTERESTING_FLAGS = ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "avx512_fp16")


def cpu_flags():
    """The CPU flags that decide TensorFlow's bfloat16 kernels, as /proc/cpuinfo lists them."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    have = set(line.split(":", 1)[1].split())
                    return [f for f in INTERESTING_FLAGS if f in have]
    except OSError:
        pass
    return []


def measure(data_dir):
    """Each case's max |bf16 - f32| and the float32 output's scale (run in the child process)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import mnist_data
    _, (x_test, _) = mnist_data.load(data_dir)
    digits = x_test[:8].astype("float32") / 255
    rng = np.random.default_rng(5)
    results = []
    for channels, filters, (n, h, w) in CASES:
        flat = digits.reshape(-1)
        x = flat[(np.arange(n * h * w * channels) * 7) % flat.size].reshape(n, h, w, channels) \
            if channels > 1 else digits.reshape(n, h, w, 1)
        k = (rng.standard_normal((3, 3, channels, filters)) * np.sqrt(2.0 / (9 * channels))) \
            .astype("float32")
        f32 = tf.nn.conv2d(x, k, 1, "VALID").numpy()
        print("@@case %d" % channels, flush=True)
        bf16 = tf.cast(tf.nn.conv2d(tf.cast(x, tf.bfloat16), tf.cast(k, tf.bfloat16), 1, "VALID"),
                       tf.float32).numpy()
        print("@@end", flush=True)
        diff = float(np.abs(bf16 - f32).max())  # NaN where the kernel wrote garbage
        results.append({"channels": channels, "filters": filters, "shape": list(x.shape),
                        "diff": diff, "scale": float(np.abs(f32).max())})
    print("@@result " + json.dumps({"tensorflow": tf.__version__, "cases": results}), flush=True)


def probe(data_dir="data", timeout=300):
    """Runs measure() in a child with ONEDNN_VERBOSE=1 (oneDNN reads it at start) and returns
    {"tensorflow", "cpu_flags", "cases": [{channels, diff, scale, right, kernel}]}."""
    env = dict(os.environ, ONEDNN_VERBOSE="1", TF_CPP_MIN_LOG_LEVEL="2")
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--measure",
                          "--data-dir", data_dir], env=env, capture_output=True, text=True,
                         timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError("the bfloat16 probe exited %d: %s" % (out.returncode,
                                                                 out.stderr.strip()[-300:]))
    kernels, current, result = {}, None, None
    for line in out.stdout.splitlines():
        if line.startswith("@@case "):
            current = int(line.split()[1])
        elif line == "@@end":
            current = None
        elif line.startswith("@@result "):
            result = json.loads(line[len("@@result "):])
        elif current is not None and ",exec,cpu,convolution," in line:
            # onednn_verbose,v1,primitive,exec,cpu,convolution,IMPLEMENTATION,prop_kind,...
            fields = line.split(",")
            kernels[current] = fields[fields.index("convolution") + 1]
    if result is None:
        raise RuntimeError("the bfloat16 probe printed no result")
    for case in result["cases"]:
        case["right"] = case["diff"] <= BOUND * case["scale"]
        case["kernel"] = kernels.get(case["channels"], "Eigen (no oneDNN primitive ran)")
    result["cpu_flags"] = cpu_flags()
    return result


def describe(result, case):
    return ("TensorFlow %s's bfloat16 Conv2D with %d input channel%s (kernel %s, CPU %s): "
            "max |bf16 - f32| %.3g on outputs up to %.3g, %s" % (
                result["tensorflow"], case["channels"], "" if case["channels"] == 1 else "s",
                case["kernel"], " ".join(result["cpu_flags"]) or "?", case["diff"],
                case["scale"], "right" if case["right"] else "WRONG (allowed %.2g)"
                % (BOUND * case["scale"])))


def report(data_dir, json_path=None):
    """Probes, prints a line a case ("note" for a wrong kernel: TensorFlow's fault, not a failure
    of ours) and writes the result to json_path if given."""
    result = probe(data_dir)
    if json_path:
        with open(json_path, "w") as f:
            json.dump(result, f, indent=1)
    for case in result["cases"]:
        print(("ok   " if case["right"] else "note ") + describe(result, case), flush=True)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default="data")
    ap.add_argument("--json", help="also write the result here (for interop_check.py layers)")
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure:
        measure(a.data_dir)
        return
    report(a.data_dir, a.json)


if __name__ == "__main__":
    main()
