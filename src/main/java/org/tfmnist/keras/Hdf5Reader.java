package org.tfmnist.keras;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Reads what Keras' HDF5 files hold, refusing anything else in one line naming the file: groups (no
 * links), float32 arrays whose shape the model fixes (checked before the data is read, so a hostile
 * header cannot make us allocate more than the model's own weights), integer scalars and string
 * attributes.
 */
final class Hdf5Reader {

  private final Path file;

  Hdf5Reader(Path file) {
    this.file = file;
  }

  KerasFileException error(String what) {
    return new KerasFileException(file, what);
  }

  /** The child group {@code name} of {@code g}, or null when absent. */
  Group group(Group g, String name) {
    Node n = g.getChildren().get(name);
    if (n == null) {
      return null;
    }
    if (n.isLink() || !(n instanceof Group child)) {
      throw error(where(g, name) + " is not a group");
    }
    return child;
  }

  /** The dataset {@code name} of {@code g}, or null when absent. */
  Dataset dataset(Group g, String name) {
    Node n = g.getChildren().get(name);
    if (n == null) {
      return null;
    }
    if (n.isLink() || !(n instanceof Dataset d)) {
      throw error(where(g, name) + " is not a dataset");
    }
    return d;
  }

  /**
   * The float32 array {@code d} of exactly {@code shape}; {@code what} names it in errors ("layer
   * 'dense_1': kernel").
   */
  TFloat32 floats(Dataset d, long[] shape, String what) {
    int[] dims = d.isScalar() ? new int[0] : d.getDimensions();
    long[] have = Arrays.stream(dims).asLongStream().toArray();
    if (!Arrays.equals(have, shape)) {
      throw error(what + " has shape " + tuple(have) + ", the model needs " + tuple(shape));
    }
    if (!(d.getDataType() instanceof FloatingPoint) || d.getDataType().getSize() != 4) {
      throw error(what + " is " + typeName(d) + ", not float32");
    }
    Object data;
    try {
      data = d.getDataFlat();
    } catch (RuntimeException e) {
      throw error(what + ": cannot read its data (" + e.getMessage() + ")");
    }
    float[] flat = data instanceof float[] f ? f : new float[] {((Number) data).floatValue()};
    if (flat.length != Shape.of(shape).size()) {
      throw error(what + ": " + flat.length + " values for shape " + tuple(shape));
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(flat, true, false));
  }

  /** An integer scalar (Keras' iterations: int64 from TensorFlow, int32 from JAX). */
  long integer(Dataset d, String what) {
    if (!d.isScalar() || !(d.getDataType() instanceof FixedPoint)) {
      throw error(what + " is " + typeName(d) + " " + tuple(dims(d)) + ", not an integer scalar");
    }
    return ((Number) d.getData()).longValue();
  }

  /** A string attribute of {@code n}, or null when absent. */
  String string(Node n, String name) {
    Attribute a = n.getAttribute(name);
    if (a == null) {
      return null;
    }
    Object v = a.getData();
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof String[] arr && arr.length == 1) {
      return arr[0];
    }
    throw error("attribute '" + name + "' of " + n.getPath() + " is not a string");
  }

  /** A string-array attribute ({@code weight_names}); an empty array may be stored as floats. */
  String[] strings(Node n, String name) {
    Attribute a = n.getAttribute(name);
    if (a == null) {
      return null;
    }
    Object v = a.getData();
    if (v instanceof String[] arr) {
      return arr;
    }
    if (v instanceof String s) {
      return new String[] {s};
    }
    if (a.getSize() == 0) {
      return new String[0];
    }
    throw error("attribute '" + name + "' of " + n.getPath() + " is not a list of names");
  }

  private static long[] dims(Dataset d) {
    return d.isScalar() ? new long[0] : Arrays.stream(d.getDimensions()).asLongStream().toArray();
  }

  private static String typeName(Dataset d) {
    String kind =
        d.getDataType() instanceof FloatingPoint
            ? "float"
            : d.getDataType() instanceof FixedPoint ? "int" : "a non-number type";
    return kind.startsWith("a ") ? kind : kind + (d.getDataType().getSize() * 8);
  }

  private static String where(Group g, String name) {
    String p = g.getPath();
    return (p.equals("/") || p.isEmpty() ? "" : p.endsWith("/") ? p : p + "/") + name;
  }

  /** Python's tuple: (784, 64), (64,), (). */
  static String tuple(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    return Arrays.stream(shape)
        .mapToObj(Long::toString)
        .collect(Collectors.joining(", ", "(", ")"));
  }
}
