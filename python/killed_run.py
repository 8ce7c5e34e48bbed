"""A `tf-mnist train` killed with SIGKILL (kill -9) once a checkpoint of it appears on disk, and the
commands that follow it, each with a time limit: what keras_check.py's model-file step needs to
show that a run resumes after a kill."""
import os
import signal
import subprocess
import time

from check_common import fail

# Each command's limit: a JVM start, a few short epochs of LeNet-5 on a slice, or one evaluation.
STEP_TIMEOUT = 240
# How often the checkpoint directory is looked at; an epoch of the run takes tenths of a second.
POLL_SECONDS = 0.005


def run(cmd, log):
    """Runs cmd to its end within STEP_TIMEOUT, its output in the file log; fails unless it exits
    0. Returns the output."""
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("%s did not end within %d s" % (" ".join(cmd), STEP_TIMEOUT))
    open(log, "w").write(r.stdout)
    if r.returncode != 0:
        fail("%s: exit %d: %s" % (" ".join(cmd), r.returncode, r.stdout[-2000:]))
    return r.stdout


def kill_when(cmd, path, log):
    """Starts cmd and kills it (its whole process group) with SIGKILL as soon as path exists, as
    a power cut would: not a signal it could handle. A checkpoint directory appears whole (it is
    written under a temporary name and renamed), so path inside it means that checkpoint has
    landed. Fails if cmd ends first or path does not appear within STEP_TIMEOUT. Returns what
    cmd printed."""
    with open(log, "w") as out:
        # a session of its own: the kill reaches the JVM even if a launcher script forks it
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        deadline = time.monotonic() + STEP_TIMEOUT
        try:
            while not os.path.exists(path):
                if proc.poll() is not None:
                    fail("%s ended (exit %d) before %s appeared: %s" % (
                        " ".join(cmd), proc.returncode, path, open(log).read()[-2000:]))
                if time.monotonic() > deadline:
                    fail("%s did not appear within %d s" % (path, STEP_TIMEOUT))
                time.sleep(POLL_SECONDS)
            os.killpg(proc.pid, signal.SIGKILL)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(STEP_TIMEOUT)
    if proc.returncode != -signal.SIGKILL:
        fail("%s: exit %d, not killed by SIGKILL" % (" ".join(cmd), proc.returncode))
    return open(log).read()


def leftovers(top):
    """Temporaries under top that an interrupted write left (AtomicFile / AtomicDir name them
    .NAME.tmp-PID-RANDOM)."""
    found = []
    for d, dirs, files in os.walk(top):
        found += [os.path.join(d, n) for n in dirs + files if ".tmp-" in n]
    return found
