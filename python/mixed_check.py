"""Judging a mixed_bfloat16 layer trace (the layers check's cnn-mixed case) on any CPU.

Each side's bfloat16 pass is compared with the float32 pass of the same layers, weights and
input on the same side (Java: LayerTraceTest writes both; Keras: computed here). Java must be
within what bfloat16 allows of its float32 pass. Keras is a reference for Java's bfloat16 numbers
only where its own bfloat16 pass passes the same test: TensorFlow 2.21's oneDNN bfloat16
convolution is wrong for one input channel on AVX-512 CPUs. Where Keras is right, Java must
equal it within each quantity's own bound.
"""
import numpy as np

# bfloat16 against float32 of the same layers and weights
BF16_OUTPUT = 2.0 ** -6  # max |bf16 - f32| of the softmax probabilities: 4 bfloat16 steps of 1
BF16_GRADIENT = 0.25  # ||bf16 - f32|| / ||f32|| of each gradient: rounding compounds backwards

# Java against Keras where both compute bfloat16 with Eigen's kernels (CPUs without AVX-512,
# where TensorFlow does not use oneDNN for bfloat16): the same arithmetic in the same order
SAME_KERNELS = {
    "output": 1e-7,  # absolute, on probabilities (measured 1.5e-8: float32 rounding)
    "grad input": 2.0 ** -6,  # of the largest value (measured 0.0082 of it)
    "grad weights": 0.0,  # equal
}
def _max_abs(a, b):
    return float(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)).max())


def _rel_l2(a, b):
    b = np.asarray(b, np.float64)
    norm = float(np.linalg.norm(b))
    return float(np.linalg.norm(np.asarray(a, np.float64) - b)) / max(norm, 1e-30)


def against_float32(bf16, f32):
    """[(quantity, measured, bound)] of one side's bfloat16 pass against its float32 pass; the
    passes are {"output": probabilities, "grad_input": ..., "grad_VAR": ...}."""
    rows = []
    for key in f32:
        if bf16[key].shape != f32[key].shape:
            rows.append((key, float("nan"), 0.0))
        elif key == "output":
            rows.append((key, _max_abs(bf16[key], f32[key]), BF16_OUTPUT))
        else:
            rows.append((key, _rel_l2(bf16[key], f32[key]), BF16_GRADIENT))
    return rows


def against_keras(java, keras, bounds):
    """[(quantity, measured, bound)] of Java's bfloat16 pass against Keras'."""
    rows = []
    for key in keras:
        if java[key].shape != keras[key].shape:
            rows.append((key, float("nan"), 0.0))
        elif key == "output":
            rows.append((key, _max_abs(java[key], keras[key]), bounds["output"]))
        elif key == "grad_input":
            scale = max(float(np.abs(keras[key]).max()), 1e-30)
            rows.append((key, _max_abs(java[key], keras[key]) / scale, bounds["grad input"]))
        else:
            rows.append((key, _max_abs(java[key], keras[key]), bounds["grad weights"]))
    return rows


def failures(rows):
    return [r for r in rows if not r[1] <= r[2]]  # NaN fails


def describe(rows):
    return ", ".join("%s %.2g (bound %.2g)" % r for r in rows)


def _excess(row):
    """How far a row's measure is over its bound, as a ratio (NaN, or anything over 0, infinite)."""
    _, measured, bound = row
    if not measured <= bound and (measured != measured or bound == 0):
        return np.inf
    return measured / bound if bound else 0.0


def worst(rows):
    """The row furthest over (or nearest to) its bound, as text."""
    return "%s %.2g (bound %.2g)" % max(rows, key=_excess)


def judge(java_mixed, java_f32, keras_mixed, keras_f32, same_kernels):
    """("java wrong" | "keras wrong" | "java differs" | "equal", detail): Java's bfloat16 pass
    against its float32 pass; then Keras' the same way; then Java against Keras, only where
    Keras passed (SAME_KERNELS bounds where both use Eigen's kernels)."""
    bad = failures(against_float32(java_mixed, java_f32))
    if bad:
        return "java wrong", "Java's bfloat16 pass is off its float32 pass: " + describe(bad)
    bad = failures(against_float32(keras_mixed, keras_f32))
    if bad:
        return "keras wrong", "Keras' bfloat16 pass is off its float32 pass by " + worst(bad)
    # oneDNN's kernels (AVX-512 CPUs) differ between TF Java's and Python's TensorFlow versions:
    # there the two bfloat16 passes can only be within bfloat16 of each other
    rows = against_keras(java_mixed, keras_mixed, SAME_KERNELS) if same_kernels \
        else against_float32(java_mixed, keras_mixed)
    bad = failures(rows)
    if bad:
        return "java differs", "Java's bfloat16 pass differs from Keras': " + describe(bad)
    weights = [r for r in rows if r[0] not in ("output", "grad_input")]
    summary = [r for r in rows if r[0] in ("output", "grad_input")]
    if weights:
        top = max(weights, key=lambda r: r[1])
        summary.append(("weight gradients (%d, worst %s)" % (len(weights), top[0]),) + top[1:])
    return "equal", describe(summary)


def self_test(java_mixed, java_f32):
    """self_test_tier for both tiers (Eigen's kernels on both sides, or oneDNN's): the logic is
    checked whichever this CPU runs."""
    return [("%s (%s)" % (name, tier), verdict)
            for same, tier in ((True, "same kernels"), (False, "different kernels"))
            for name, verdict in self_test_tier(java_mixed, java_f32, same)]


def self_test_tier(java_mixed, java_f32, same_kernels):
    """The judging logic on references corrupted on purpose, from a Java trace that passed (so
    it runs on every CPU, faulty Keras kernel or not). Returns the cases as (name, verdict);
    raises AssertionError naming the case the logic gets wrong."""
    rng = np.random.default_rng(3)

    def corrupt_like_the_fault(p):
        # the wrong 1-channel convolution: the first layer's output, and so everything after
        # it, off by as much as the values themselves
        return {k: v + rng.standard_normal(v.shape).astype(np.float32) * np.abs(v).max() * 0.5
                for k, v in p.items()}

    def nudge(p, key, by):
        q = {k: v.copy() for k, v in p.items()}
        q[key].flat[0] += by
        return q

    weight = next(k for k in java_f32 if k.startswith("grad_") and k != "grad_input")
    cases = [
        ("a right Keras reference", java_mixed, java_f32, "equal"),
        ("Keras with the faulty 1-channel convolution", corrupt_like_the_fault(java_mixed),
         java_f32, "keras wrong"),
        ("a Keras reference at float32 (no bfloat16 rounding)", java_f32, java_f32,
         "equal" if not same_kernels else "java differs"),
    ]
    results = []
    for name, keras_mixed, keras_f32, want in cases:
        verdict, _ = judge(java_mixed, java_f32, keras_mixed, keras_f32, same_kernels)
        results.append((name, verdict))
        if verdict != want:
            raise AssertionError("%s judged %r, expected %r" % (name, verdict, want))
    # a wrong Java side must fail whatever Keras does
    for name, java in (("Java with the faulty convolution", corrupt_like_the_fault(java_mixed)),
                       ("Java's output off by 0.05", nudge(java_mixed, "output", 0.05))):
        for keras_name, keras in (("right", java_mixed),
                                  ("faulty", corrupt_like_the_fault(java_mixed))):
            verdict, _ = judge(java, java_f32, keras, java_f32, same_kernels)
            results.append(("%s, Keras %s" % (name, keras_name), verdict))
            if verdict != "java wrong":
                raise AssertionError("%s against a %s Keras judged %r, expected 'java wrong'"
                                     % (name, keras_name, verdict))
    # within bfloat16 of float32, yet not what Keras computes: caught only by Java = Keras
    if same_kernels:
        verdict, _ = judge(nudge(java_mixed, weight, 1e-3), java_f32, java_mixed, java_f32, True)
        results.append(("Java's %s off by 1e-3" % weight, verdict))
        if verdict != "java differs":
            raise AssertionError("a weight gradient off by 1e-3 judged %r" % verdict)
    return results
