package org.tfmnist.cli;

import org.tensorflow.proto.ConfigProto;
import picocli.CommandLine.Option;

/**
 * TensorFlow's thread pools. The defaults (0: TensorFlow's choice) were the fastest tried; XLA's
 * CPU JIT (TF_XLA_FLAGS=--tf_xla_cpu_global_jit) is not offered: its CPU code bypasses oneDNN, and
 * the CNN trained several times slower with it (docs/speed.md has the figures).
 */
final class RuntimeOptions {

  @Option(
      names = "--intra-op-threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "Threads inside one op (0: TensorFlow's choice, one per core).")
  int intraOp;

  @Option(
      names = "--inter-op-threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "Ops run in parallel (0: TensorFlow's choice).")
  int interOp;

  /** Thread counts TensorFlow can take (it aborts on negative ones). */
  void validate(picocli.CommandLine.Model.CommandSpec spec) {
    Usage.check(spec, intraOp >= 0 && intraOp <= 1024, "--intra-op-threads", intraOp, "0 to 1024");
    Usage.check(spec, interOp >= 0 && interOp <= 1024, "--inter-op-threads", interOp, "0 to 1024");
  }

  /** The session config, or null for TensorFlow's defaults. */
  ConfigProto config() {
    if (intraOp == 0 && interOp == 0) {
      return null;
    }
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOp)
        .setInterOpParallelismThreads(interOp)
        .build();
  }
}
