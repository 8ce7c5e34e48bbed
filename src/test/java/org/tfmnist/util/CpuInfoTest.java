package org.tfmnist.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CPU's model and the features oneDNN dispatches on, read from /proc/cpuinfo's text. */
@Timeout(10)
class CpuInfoTest {

  /** Two processors of a Zen 5 (abridged): the first one's lines are read. */
  static final String ZEN5 =
      """
      processor\t: 0
      vendor_id\t: AuthenticAMD
      model name\t: AMD EPYC 9R45   96-Core Processor
      flags\t\t: fpu sse2 avx avx2 fma avx512f avx512dq avx512_bf16 avx512_vnni
      bugs\t\t: sysret_ss_attrs

      processor\t: 1
      model name\t: something else
      flags\t\t: fpu
      """;

  /** A Sapphire Rapids: AMX as well. */
  static final String SPR =
      """
      model name\t: Intel(R) Xeon(R) Platinum 8488C
      flags\t\t: avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8
      """;

  /** A Zen 3: AVX2 only; and an avx512 flag that is not avx512f must not count. */
  static final String ZEN3 =
      """
      model name\t: AMD EPYC 7B13
      flags\t\t: sse4_2 avx avx2 avx512_fake
      """;

  @Test
  void readsTheModelAndTheFeaturesOfTheFirstProcessor() {
    CpuInfo c = CpuInfo.parse(ZEN5);
    assertEquals("AMD EPYC 9R45 96-Core Processor", c.model());
    assertEquals(
        Map.of("AVX2", true, "AVX-512F", true, "AVX512_BF16", true, "AMX", false), c.features());
    assertEquals(
        "AMD EPYC 9R45 96-Core Processor (AVX2 yes, AVX-512F yes, AVX512_BF16 yes, AMX no)",
        c.label());
  }

  @Test
  void amxAndAvx2OnlyCpus() {
    assertEquals(
        "Intel(R) Xeon(R) Platinum 8488C (AVX2 yes, AVX-512F yes, AVX512_BF16 yes, AMX yes)",
        CpuInfo.parse(SPR).label());
    assertEquals(
        "AMD EPYC 7B13 (AVX2 yes, AVX-512F no, AVX512_BF16 no, AMX no)",
        CpuInfo.parse(ZEN3).label());
    assertTrue(CpuInfo.parse(SPR).hasBf16Arithmetic());
    assertTrue(CpuInfo.parse(ZEN5).hasBf16Arithmetic());
    assertFalse(CpuInfo.parse(ZEN3).hasBf16Arithmetic());
  }

  @Test
  void noModelLineIsAnUnknownCpuWithoutFeatures() {
    CpuInfo c = CpuInfo.parse("processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\n");
    assertEquals(CpuInfo.UNKNOWN, c.model());
    assertEquals(
        Map.of("AVX2", false, "AVX-512F", false, "AVX512_BF16", false, "AMX", false), c.features());
  }

  @Test
  void theJsonReadsBackAsTheSameFeatures() {
    CpuInfo c = CpuInfo.parse(SPR);
    Map<String, Object> json = c.json();
    assertEquals("Intel(R) Xeon(R) Platinum 8488C", json.get("model"));
    assertEquals(true, json.get("AMX"));
    assertEquals(c.label(), CpuInfo.fromJson(json).label());
    assertNull(CpuInfo.fromJson("not an object"));
  }
}
