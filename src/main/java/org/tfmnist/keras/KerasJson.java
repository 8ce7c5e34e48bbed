package org.tfmnist.keras;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.tfmnist.nn.Initializer;

/** The shapes Keras' serialized objects take, and reading its JSON. */
final class KerasJson {

  private KerasJson() {}

  /** {@code {"module", "class_name", "config", "registered_name": null}}, as Keras writes them. */
  static Map<String, Object> object(String module, String className, Map<String, Object> config) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("module", module);
    o.put("class_name", className);
    o.put("config", config);
    o.put("registered_name", null);
    return o;
  }

  /** Keras 3's float32 {@code DTypePolicy} object. */
  static Map<String, Object> float32Policy() {
    return object("keras", "DTypePolicy", new LinkedHashMap<>(Map.of("name", "float32")));
  }

  static Map<String, Object> initializer(Initializer init) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("seed", null);
    c.putAll(init.kerasConfig());
    return object("keras.initializers", init.kerasClassName(), c);
  }

  /** [null, d1, d2, ...]: a shape with its batch dimension, as Keras' configs hold them. */
  static List<Object> batchShape(long[] shape) {
    List<Object> s = new java.util.ArrayList<>();
    s.add(null);
    for (long d : shape) {
      s.add(d);
    }
    return s;
  }

  static String tuple(int[] v) {
    return Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
  }

  /** A config value as a message shows it. */
  static String show(Object v) {
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    try {
      return JSON.std.asString(v);
    } catch (IOException e) {
      return String.valueOf(v);
    }
  }

  static String write(Object o) {
    try {
      return JSON.std.asString(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static Map<String, Object> read(Path file, String what, String json) {
    try {
      return JSON.std.mapFrom(json);
    } catch (IOException | RuntimeException e) {
      throw new KerasFileException(
          file, what + " is not valid JSON: " + String.valueOf(e.getMessage()).split("\n")[0], e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : null;
  }
}
