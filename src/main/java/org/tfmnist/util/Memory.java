package org.tfmnist.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's memory, as the benchmarks and the training summary report it. */
public final class Memory {

  private Memory() {}

  /** The process's peak resident set (VmHWM), 0 where /proc is not available. */
  public static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException ignored) {
      // not Linux
    }
    return 0;
  }
}
