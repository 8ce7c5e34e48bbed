package org.tfmnist.export;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The outputs of one signature run, copied out of TensorFlow: for each output its rows (the batch
 * dimension first) as one flat Java array, so a batch of many requests can be cut back into each
 * request's rows.
 */
public final class Outputs {

  /** An output of a signature: its key, graph tensor, dtype and declared shape. */
  public record Spec(String key, String tensorName, DataType dtype, long[] shape) {

    /** Whether {@link #read} can copy this output out (numbers only). */
    public boolean numeric() {
      return dtype == DataType.DT_FLOAT
          || dtype == DataType.DT_DOUBLE
          || dtype == DataType.DT_INT32
          || dtype == DataType.DT_INT64;
    }
  }

  private final List<Spec> specs;
  private final int rows;

  /** Per output: float[], double[], int[] or long[]. */
  private final Object[] data;

  /** Per output: the shape of one row (the dimensions after the batch dimension). */
  private final long[][] rowShapes;

  // package-private: tests build outputs from plain arrays, without a TensorFlow session
  Outputs(List<Spec> specs, int rows, Object[] data, long[][] rowShapes) {
    this.specs = specs;
    this.rows = rows;
    this.data = data;
    this.rowShapes = rowShapes;
  }

  public static Outputs read(Path dir, List<Spec> specs, Result result, int rows) {
    Object[] data = new Object[specs.size()];
    long[][] rowShapes = new long[specs.size()][];
    for (int i = 0; i < specs.size(); i++) {
      Spec spec = specs.get(i);
      Tensor t = result.get(i);
      long[] shape = t.shape().asArray();
      if (shape.length == 0 || shape[0] != rows) {
        throw new ExportException(
            dir
                + ": output '"
                + spec.key()
                + "' gave shape "
                + Arrays.toString(shape)
                + " for "
                + rows
                + " images; outputs must have the batch "
                + "dimension first");
      }
      rowShapes[i] = Arrays.copyOfRange(shape, 1, shape.length);
      int size = Math.toIntExact(t.shape().size());
      if (t instanceof TFloat32 f) {
        float[] a = new float[size];
        f.copyTo(DataBuffers.of(a, false, false));
        data[i] = a;
      } else if (t instanceof TInt64 l) {
        long[] a = new long[size];
        l.copyTo(DataBuffers.of(a, false, false));
        data[i] = a;
      } else if (t instanceof TInt32 n) {
        int[] a = new int[size];
        n.copyTo(DataBuffers.of(a, false, false));
        data[i] = a;
      } else if (t instanceof TFloat64 d) {
        double[] a = new double[size];
        d.copyTo(DataBuffers.of(a, false, false));
        data[i] = a;
      } else {
        throw new ExportException(
            dir
                + ": output '"
                + spec.key()
                + "' is "
                + spec.dtype()
                + "; only numeric outputs can be returned");
      }
    }
    return new Outputs(specs, rows, data, rowShapes);
  }

  public List<Spec> specs() {
    return specs;
  }

  public int rows() {
    return rows;
  }

  /** Output {@code i}'s values: a float[], double[], int[] or long[] of rows x rowSize. */
  public Object data(int i) {
    return data[i];
  }

  /** The shape of one row of output {@code i}. */
  public long[] rowShape(int i) {
    return rowShapes[i].clone();
  }

  /** The index of output {@code key}, or -1. */
  public int indexOf(String key) {
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).key().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** Rows {@code from .. from+count} of every output, copied. */
  public Outputs slice(int from, int count) {
    if (from == 0 && count == rows) {
      return this;
    }
    Object[] cut = new Object[data.length];
    for (int i = 0; i < data.length; i++) {
      int rowSize = Array.length(data[i]) / Math.max(1, rows);
      Object a = Array.create(data[i], count * rowSize);
      System.arraycopy(data[i], from * rowSize, a, 0, count * rowSize);
      cut[i] = a;
    }
    return new Outputs(specs, count, cut, rowShapes);
  }

  /** The rows of several runs of the same signature, one after the other. */
  public static Outputs concat(List<Outputs> parts) {
    Outputs first = parts.get(0);
    if (parts.size() == 1) {
      return first;
    }
    int rows = parts.stream().mapToInt(Outputs::rows).sum();
    Object[] data = new Object[first.data.length];
    for (int i = 0; i < data.length; i++) {
      int total = 0;
      for (Outputs p : parts) {
        total += Array.length(p.data[i]);
      }
      Object a = Array.create(first.data[i], total);
      int at = 0;
      for (Outputs p : parts) {
        int len = Array.length(p.data[i]);
        System.arraycopy(p.data[i], 0, a, at, len);
        at += len;
      }
      data[i] = a;
    }
    return new Outputs(first.specs, rows, data, first.rowShapes);
  }

  /** Output {@code key}'s row {@code r} as floats (for the probabilities). */
  public float[] floatRow(String key, int r) {
    int i = indexOf(key);
    if (i < 0) {
      throw new IllegalArgumentException("no output '" + key + "'");
    }
    int rowSize = Array.length(data[i]) / Math.max(1, rows);
    float[] out = new float[rowSize];
    for (int k = 0; k < rowSize; k++) {
      out[k] = (float) Array.number(data[i], r * rowSize + k);
    }
    return out;
  }

  /** Primitive-array helpers without reflection. */
  static final class Array {
    private Array() {}

    static int length(Object a) {
      if (a instanceof float[] f) {
        return f.length;
      } else if (a instanceof long[] l) {
        return l.length;
      } else if (a instanceof int[] n) {
        return n.length;
      }
      return ((double[]) a).length;
    }

    static Object create(Object like, int n) {
      if (like instanceof float[]) {
        return new float[n];
      } else if (like instanceof long[]) {
        return new long[n];
      } else if (like instanceof int[]) {
        return new int[n];
      }
      return new double[n];
    }

    static double number(Object a, int i) {
      if (a instanceof float[] f) {
        return f[i];
      } else if (a instanceof long[] l) {
        return l[i];
      } else if (a instanceof int[] n) {
        return n[i];
      }
      return ((double[]) a)[i];
    }
  }
}
