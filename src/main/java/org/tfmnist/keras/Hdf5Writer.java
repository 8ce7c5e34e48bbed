package org.tfmnist.keras;

import io.jhdf.HdfFile;
import io.jhdf.WritableGroupImpl;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.types.TFloat32;

/**
 * An HDF5 file built in memory (groups, string attributes, float32 and int64 datasets) and written
 * with jHDF, the subset of HDF5 that Keras' {@code H5IOStore} reads.
 *
 * <p>Works around a jHDF 0.9.4 bug: after the last dataset's data it writes its "_jHDF" note at the
 * file channel's position, over the header of any group written after that dataset (an empty group,
 * e.g. a Flatten layer's {@code vars}), and h5py then fails with "bad object header version
 * number". Here every group lists its children in insertion order (jHDF keeps them in a hash map)
 * and the children holding datasets come last, so nothing is written after the last dataset; the
 * file is then read back whole to be sure.
 */
final class Hdf5Writer {

  /** A group to write: its attributes and children (groups or datasets), in order. */
  static final class G {
    final Map<String, String> attributes = new LinkedHashMap<>();
    final Map<String, Object> children = new LinkedHashMap<>();

    G group(String name) {
      return (G) children.computeIfAbsent(name, n -> new G());
    }

    G attribute(String name, String value) {
      attributes.put(name, value);
      return this;
    }

    /** A dataset: a Long or Float scalar, or a float array of any rank. */
    void dataset(String name, Object data) {
      children.put(name, data);
    }

    boolean hasData() {
      return children.values().stream().anyMatch(c -> !(c instanceof G g) || g.hasData());
    }
  }

  private Hdf5Writer() {}

  /** The file's bytes. */
  static byte[] bytes(G root) throws IOException {
    Path tmp = Files.createTempFile("tf-mnist-", ".h5");
    try {
      try (WritableHdfFile f = HdfFile.write(tmp)) {
        f.removeAttribute("_jHDF"); // Keras' files have no root attributes
        ordered(rootOf(f));
        fill(rootOf(f), root);
      }
      try (HdfFile check = new HdfFile(tmp)) {
        visit(check);
      }
      return Files.readAllBytes(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void fill(WritableGroup target, G source) {
    source.attributes.forEach(target::putAttribute);
    List<Map.Entry<String, Object>> entries = new ArrayList<>(source.children.entrySet());
    // groups without data first: nothing may follow the last dataset (see the class comment)
    entries.sort((a, b) -> Boolean.compare(hasData(a.getValue()), hasData(b.getValue())));
    for (Map.Entry<String, Object> e : entries) {
      if (e.getValue() instanceof G g) {
        WritableGroup child = target.putGroup(e.getKey());
        ordered(child);
        fill(child, g);
      } else {
        target.putDataset(e.getKey(), e.getValue());
      }
    }
  }

  private static boolean hasData(Object child) {
    return !(child instanceof G g) || g.hasData();
  }

  private static void visit(Group g) {
    for (Node n : g.getChildren().values()) {
      n.getAttributes();
      if (n instanceof Group child) {
        visit(child);
      }
    }
  }

  private static WritableGroup rootOf(WritableHdfFile f) {
    try {
      Field root = WritableHdfFile.class.getDeclaredField("rootGroup");
      root.setAccessible(true);
      return (WritableGroup) root.get(f);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("jHDF's writer changed: " + e, e);
    }
  }

  /** Makes jHDF keep {@code g}'s children in insertion order. */
  private static void ordered(WritableGroup g) {
    try {
      Field children = WritableGroupImpl.class.getDeclaredField("children");
      children.setAccessible(true);
      children.set(g, new LinkedHashMap<>());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("jHDF's writer changed: " + e, e);
    }
  }

  /** A tensor as a Java array of its rank (jHDF takes the shape from the array). */
  static Object array(TFloat32 t) {
    int[] dims = new int[t.shape().numDimensions()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(t.shape().size(i));
    }
    float[] flat = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(flat, false, false));
    return dims.length == 0 ? Float.valueOf(flat[0]) : nest(flat, dims);
  }

  static Object nest(float[] flat, int[] dims) {
    if (dims.length == 1) {
      return flat;
    }
    Object out = Array.newInstance(float.class, dims);
    fillNested(out, flat, dims, 0, 0);
    return out;
  }

  private static int fillNested(Object arr, float[] flat, int[] dims, int d, int at) {
    if (d == dims.length - 1) {
      System.arraycopy(flat, at, arr, 0, dims[d]);
      return at + dims[d];
    }
    for (int i = 0; i < dims[d]; i++) {
      at = fillNested(Array.get(arr, i), flat, dims, d + 1, at);
    }
    return at;
  }
}
