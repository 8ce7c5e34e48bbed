package org.tfmnist.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU a benchmark ran on: its model name and whether it has the instructions TensorFlow's
 * oneDNN kernels dispatch on (AVX2, AVX-512F, AVX512_BF16, AMX). Timings are only comparable on the
 * same CPU, and bfloat16 only pays where the last two exist, so every result carries them.
 */
public record CpuInfo(String model, Set<String> flags) {

  /** What a CPU lacking a model line (or any cpuinfo) is called. */
  public static final String UNKNOWN = "unknown CPU";

  /**
   * The features reported, by their display name, and the Linux flag each is read from, in the
   * order they are reported.
   */
  private static final Map<String, String> FEATURES = new LinkedHashMap<>();

  static {
    FEATURES.put("AVX2", "avx2");
    FEATURES.put("AVX-512F", "avx512f");
    FEATURES.put("AVX512_BF16", "avx512_bf16");
    FEATURES.put("AMX", "amx_tile");
  }

  /** This machine's CPU, from {@code /proc/cpuinfo}; {@link #UNKNOWN} where there is none. */
  public static CpuInfo read() {
    try {
      return parse(Files.readString(Path.of("/proc/cpuinfo")));
    } catch (IOException | RuntimeException e) {
      return new CpuInfo(UNKNOWN, Set.of());
    }
  }

  /**
   * The first processor of a {@code /proc/cpuinfo} text: its {@code model name} and {@code flags}
   * lines (all processors of a machine list the same).
   */
  public static CpuInfo parse(String cpuinfo) {
    String model = null;
    Set<String> flags = null;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (model == null && key.equals("model name")) {
        model = value.replaceAll("\\s+", " ");
      } else if (flags == null && key.equals("flags")) {
        flags = new TreeSet<>(java.util.Arrays.asList(value.split("\\s+")));
        flags.remove("");
      }
    }
    return new CpuInfo(model == null ? UNKNOWN : model, flags == null ? Set.of() : flags);
  }

  /**
   * Whether the CPU computes in bfloat16 itself (AVX512_BF16 or AMX): without, oneDNN's bfloat16
   * products and convolutions convert to float32 and back, and are slower than float32's.
   */
  public boolean hasBf16Arithmetic() {
    return flags.contains("avx512_bf16")
        || flags.contains("amx_tile")
        || flags.contains("amx_bf16");
  }

  /** Whether the CPU has each reported feature, in a fixed order. */
  public Map<String, Boolean> features() {
    Map<String, Boolean> m = new LinkedHashMap<>();
    FEATURES.forEach((name, flag) -> m.put(name, flags.contains(flag)));
    return m;
  }

  /** One line: "MODEL (AVX2 yes, AVX-512F no, ...)". */
  public String label() {
    StringBuilder sb = new StringBuilder(model).append(" (");
    features().forEach((f, has) -> sb.append(f).append(has ? " yes, " : " no, "));
    sb.setLength(sb.length() - 2);
    return sb.append(')').toString();
  }

  /** The JSON a result file and the report carry: {"model": ..., "AVX2": true, ...}. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.putAll(features());
    return m;
  }

  /** Reads {@link #json()} back; null where {@code o} is not such an object. */
  public static CpuInfo fromJson(Object o) {
    if (!(o instanceof Map<?, ?> m) || !(m.get("model") instanceof String model)) {
      return null;
    }
    Set<String> flags = new TreeSet<>();
    FEATURES.forEach(
        (name, flag) -> {
          if (Boolean.TRUE.equals(m.get(name))) {
            flags.add(flag);
          }
        });
    return new CpuInfo(model, flags);
  }
}
