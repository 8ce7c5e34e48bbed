package org.tfmnist.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.train.Recipe;
import org.tfmnist.util.CpuInfo;
import picocli.CommandLine.Option;

/** {@code --precision}: Keras' dtype policy for training (float32 unless given). */
final class PrecisionOption {

  /** The policies by their Keras names, for picocli's help and checks. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return all().iterator();
    }

    static List<String> all() {
      return Arrays.stream(DTypePolicy.values()).map(DTypePolicy::kerasName).toList();
    }
  }

  @Option(
      names = "--precision",
      paramLabel = "POLICY",
      completionCandidates = Names.class,
      description =
          "Keras' dtype policy while training: ${COMPLETION-CANDIDATES} (default: float32). "
              + "mixed_bfloat16 computes in bfloat16 with float32 weights, softmax and loss, as "
              + "keras.mixed_precision.set_global_policy(\"mixed_bfloat16\") does; it pays only "
              + "on CPUs with bf16 arithmetic (AVX-512-BF16, AMX). The exported model is float32.")
  String precision;

  void validate(picocli.CommandLine.Model.CommandSpec spec) {
    if (precision != null) {
      Usage.oneOf(spec, "--precision", precision, Names.all());
    }
  }

  /**
   * One line on {@code err} when bfloat16 was asked for on a CPU that cannot compute in it: oneDNN
   * then converts every bfloat16 product and convolution to float32 and back, so the run is slower
   * than float32's, not faster (docs/speed.md has the measurements). Said before training starts,
   * so a user can stop and rerun without the option. The CPU is read only when bfloat16 was asked
   * for.
   */
  void warnIfSlow(Supplier<CpuInfo> cpuInfo, PrintStream err) {
    if (precision == null || DTypePolicy.parse(precision) == DTypePolicy.FLOAT32) {
      return;
    }
    CpuInfo cpu = cpuInfo.get();
    if (!cpu.hasBf16Arithmetic()) {
      err.println(
          "tf-mnist: warning: --precision "
              + precision
              + " will be slower than float32 here: this CPU ("
              + cpu.model()
              + ") has no bfloat16 arithmetic (no AVX512_BF16, no AMX), so every bfloat16 "
              + "product and convolution is converted to float32 and back");
    }
  }

  /** {@code r} with the policy asked for, or {@code r} itself when the option was not given. */
  Recipe applyTo(Recipe r) {
    return precision == null ? r : r.withDTypePolicy(DTypePolicy.parse(precision));
  }
}
