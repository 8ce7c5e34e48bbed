package org.tfmnist.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A bench result names the TF Java release it ran on, read from the jar, not written in code. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TensorFlowJavaVersionTest {

  @Test
  void theReleaseOnTheClassPathIsNamed() {
    String v = Bench.tensorFlowJavaVersion();
    assertTrue(v.matches("\\d+\\.\\d+\\.\\d+"), v);
  }
}
