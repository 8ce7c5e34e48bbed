package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tfmnist.TestData;

/** {@code Mnist.load(dir)} gives the verified splits the CLI reads, whole. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MnistTest {

  @Test
  void loadGivesTheVerifiedSplits() {
    Datasets.Splits m = Mnist.load(TestData.dataRoot());
    assertEquals(60_000, m.train().count());
    assertEquals(10_000, m.test().count());
    assertEquals(28, m.train().rows());
    Datasets.Splits read = Datasets.read(TestData.mnistDir(), DatasetSpec.MNIST);
    assertArrayEquals(read.test().labels(), m.test().labels());
    assertArrayEquals(read.train().pixels(), m.train().pixels());
  }
}
