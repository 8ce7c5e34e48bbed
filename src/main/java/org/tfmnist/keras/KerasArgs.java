package org.tfmnist.keras;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One object of a Keras config (a layer's, an optimizer's), read key by key: a value the library
 * cannot honour is a {@link KerasFileException} naming the file, the object's place in the model
 * and the key, never a silently different model.
 */
final class KerasArgs {

  private final Path file;
  private final String place;
  private final Map<String, Object> m;

  KerasArgs(Path file, String place, Map<String, Object> m) {
    this.file = file;
    this.place = place;
    this.m = m == null ? Map.of() : m;
  }

  KerasFileException error(String what) {
    return new KerasFileException(file, place + ": " + what);
  }

  Object raw(String key) {
    return m.get(key);
  }

  boolean has(String key) {
    return m.get(key) != null;
  }

  double number(String key, double dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw error(key + " is " + v + ", not a number");
  }

  int integer(String key, int dflt) {
    double d = number(key, dflt);
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw error(key + " is " + d + ", not an integer");
    }
    return (int) d;
  }

  boolean bool(String key, boolean dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw error(key + " is " + v + ", not true or false");
  }

  String string(String key, String dflt) {
    Object v = m.get(key);
    return v == null ? dflt : v.toString();
  }

  /** A Keras tuple of ints ({@code kernel_size: [3, 3]}, or the one int Keras also takes). */
  int[] ints(String key, int[] dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number) {
      int i = integer(key, 0);
      return new int[] {i, i};
    }
    if (v instanceof List<?> l) {
      int[] out = new int[l.size()];
      for (int i = 0; i < out.length; i++) {
        if (!(l.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
          throw error(key + " is " + v + ", not a tuple of integers");
        }
        out[i] = n.intValue();
      }
      return out;
    }
    throw error(key + " is " + v + ", not a tuple of integers");
  }

  /** A pair (h, w) that must be square here: our layers take one size for both axes. */
  int square(String key, Integer dflt) {
    int[] v = ints(key, dflt == null ? null : new int[] {dflt, dflt});
    if (v == null) {
      throw error(key + " is missing");
    }
    if (v.length != 2 || v[0] != v[1]) {
      throw error(key + " " + KerasJson.tuple(v) + " is not supported (only equal sizes, (n, n))");
    }
    return v[0];
  }

  /** Refuses {@code key} unless it is absent or {@code allowed} (Keras' default, mostly). */
  void require(String key, Object allowed, String why) {
    Object v = m.get(key);
    if (v != null && !Objects.equals(normal(v), normal(allowed))) {
      throw error(key + " " + KerasJson.show(v) + " is not supported" + why);
    }
  }

  /** Refuses a non-null value of each key (regularizers, constraints: not supported). */
  void requireNull(String... keys) {
    for (String k : keys) {
      if (m.get(k) != null) {
        throw error(k + " " + KerasJson.show(m.get(k)) + " is not supported");
      }
    }
  }

  private static Object normal(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(KerasArgs::normal).toList();
    }
    return v;
  }
}
