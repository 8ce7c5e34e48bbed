package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tfmnist.util.CpuInfo;

/** {@code --precision mixed_bfloat16} warns, in one line, on a CPU without bf16 arithmetic only. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PrecisionOptionTest {

  static final CpuInfo ZEN3 = new CpuInfo("AMD EPYC 7B13", Set.of("avx2", "fma"));
  static final CpuInfo ZEN5 =
      new CpuInfo("AMD EPYC 9R45", Set.of("avx2", "avx512f", "avx512_bf16"));
  static final CpuInfo SPR = new CpuInfo("Intel Xeon 8488C", Set.of("avx512f", "amx_tile"));

  static String warning(String precision, CpuInfo cpu) {
    PrecisionOption o = new PrecisionOption();
    o.precision = precision;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    o.warnIfSlow(() -> cpu, new PrintStream(err, true, StandardCharsets.UTF_8));
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void bfloat16WithoutBf16ArithmeticSaysItWillBeSlower() {
    String w = warning("mixed_bfloat16", ZEN3);
    assertEquals(1, w.lines().count(), w);
    assertTrue(w.startsWith("tf-mnist: warning: --precision mixed_bfloat16 will be slower"), w);
    assertTrue(w.contains("AMD EPYC 7B13") && w.contains("no AVX512_BF16, no AMX"), w);
  }

  @Test
  void silentWhereTheCpuHasItOrNoBfloat16WasAsked() {
    assertEquals("", warning("mixed_bfloat16", ZEN5));
    assertEquals("", warning("mixed_bfloat16", SPR));
    assertEquals("", warning("float32", ZEN3));
    assertEquals("", warning(null, ZEN3));
  }
}
