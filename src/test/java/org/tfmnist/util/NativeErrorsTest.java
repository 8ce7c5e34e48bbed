package org.tfmnist.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.exceptions.TFFailedPreconditionException;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.exceptions.TFResourceExhaustedException;

/** TensorFlow's error messages, as TensorFlow words them, turned into one line of ours. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NativeErrorsTest {

  /**
   * What TensorFlow reports (this machine, a 1 MB tmpfs) when a SavedModel's variables are saved to
   * a full disk.
   */
  private static final String FULL_DISK =
      "/m/mlp/.1.tmp-4065-8294606559260523274/variables/variables.data-00000-of-00001"
          + ".tempstate13296286734170877402; No space left on device\n"
          + "\t [[{{node save/SaveV2_2}}]]\n"
          + "Hint: If you want to see a list of allocated tensors when OOM happens, add"
          + " report_tensor_allocations_upon_oom to RunOptions for current allocation info. This"
          + " isn't available when running in Eager mode.\n";

  @Test
  void aFullDiskIsAFailedWriteNamingTheFileNotAnOutOfMemoryHint() {
    assertEquals(
        "/m/mlp/1/variables/variables.data-00000-of-00001: the write failed: no space left on the"
            + " device",
        NativeErrors.reason(new TFResourceExhaustedException(FULL_DISK)));
  }

  @Test
  void aFileSizeLimitKeepsTheSystemsWords() {
    assertEquals(
        "/ck/epoch-0002/ckpt.data-00000-of-00001: File too large",
        NativeErrors.reason(
            new TFOutOfRangeException(
                "/ck/.epoch-0002.tmp-77-12/ckpt.data-00000-of-00001.tempstate5; File too large\n"
                    + "\t [[{{node save/SaveV2}}]]")));
  }

  @Test
  void otherErrorsAreTheirFirstLine() {
    assertEquals(
        "Read less bytes than requested",
        NativeErrors.reason(
            new TFOutOfRangeException(
                "Read less bytes than requested\n\t [[{{node save/RestoreV2_2}}]]")));
    assertEquals(
        "TFFailedPreconditionException",
        NativeErrors.reason(new TFFailedPreconditionException(" \n")));
  }
}
