package org.tfmnist.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.tfmnist.nn.DTypePolicy;
import org.tfmnist.train.Recipe;
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

  /** {@code r} with the policy asked for, or {@code r} itself when the option was not given. */
  Recipe applyTo(Recipe r) {
    return precision == null ? r : r.withDTypePolicy(DTypePolicy.parse(precision));
  }
}
