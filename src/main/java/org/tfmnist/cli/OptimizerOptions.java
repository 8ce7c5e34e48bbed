package org.tfmnist.cli;

import java.util.Locale;
import org.tfmnist.optim.OptimizerSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code train}'s optimizer and its hyper-parameters, each the preset's unless given. */
final class OptimizerOptions {

  @Option(
      names = "--optimizer",
      paramLabel = "NAME",
      completionCandidates = Usage.OptimizerNames.class,
      description =
          "One of: ${COMPLETION-CANDIDATES}; with Keras' defaults unless overridden " + "below.")
  String optimizer;

  @Option(
      names = {"--lr", "--learning-rate"},
      paramLabel = "X",
      description = "Learning rate (more than 0, less than 1000000).")
  Double lr;

  @Option(names = "--momentum", paramLabel = "X", description = "SGD/RMSprop momentum.")
  Double momentum;

  @Option(names = "--nesterov", description = "SGD with Nesterov momentum.")
  Boolean nesterov;

  @Option(names = "--rho", paramLabel = "X", description = "RMSprop/Adadelta decay rho.")
  Double rho;

  @Option(names = "--beta1", paramLabel = "X", description = "Adam beta_1.")
  Double beta1;

  @Option(names = "--beta2", paramLabel = "X", description = "Adam beta_2.")
  Double beta2;

  @Option(names = "--epsilon", paramLabel = "X", description = "Optimizer epsilon.")
  Double epsilon;

  void validate(CommandSpec spec) {
    if (optimizer != null) {
      Usage.oneOf(spec, "--optimizer", optimizer, Usage.OptimizerNames.all());
    }
    if (lr != null) {
      Usage.check(
          spec,
          lr > 0 && lr < OptimizerSpec.MAX_LEARNING_RATE,
          "--lr",
          lr,
          String.format(
              Locale.ROOT, "more than 0 and less than %.0f", OptimizerSpec.MAX_LEARNING_RATE));
    }
    if (momentum != null) {
      Usage.check(spec, momentum >= 0 && momentum < 1, "--momentum", momentum, "0 to 1");
    }
    if (rho != null) {
      Usage.check(spec, rho >= 0 && rho < 1, "--rho", rho, "0 to 1");
    }
    if (beta1 != null) {
      Usage.check(spec, beta1 >= 0 && beta1 < 1, "--beta1", beta1, "0 to 1");
    }
    if (beta2 != null) {
      Usage.check(spec, beta2 >= 0 && beta2 < 1, "--beta2", beta2, "0 to 1");
    }
    if (epsilon != null) {
      Usage.check(spec, epsilon > 0 && epsilon < 1, "--epsilon", epsilon, "between 0 and 1");
    }
  }

  /** Whether the run's rate is given here (an optimizer's default or --lr), not the preset's. */
  boolean overridesRate() {
    return lr != null || optimizer != null;
  }

  /** {@code o}, or the optimizer named, with the hyper-parameters given. */
  OptimizerSpec applyTo(OptimizerSpec o) {
    if (optimizer != null) {
      o = OptimizerSpec.defaults(OptimizerSpec.Kind.parse(optimizer));
    }
    if (lr != null) {
      o = o.withLearningRate(lr);
    }
    if (momentum != null) {
      o = o.withMomentum(momentum);
    }
    if (nesterov != null) {
      o = o.withNesterov(nesterov);
    }
    if (rho != null) {
      o = o.withRho(rho);
    }
    if (beta1 != null || beta2 != null) {
      o = o.withBetas(beta1 != null ? beta1 : o.beta1(), beta2 != null ? beta2 : o.beta2());
    }
    if (epsilon != null) {
      o = o.withEpsilon(epsilon);
    }
    return o;
  }
}
