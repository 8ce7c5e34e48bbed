package org.tfmnist.keras;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tfmnist.nn.Activation;
import org.tfmnist.nn.ActivationLayer;
import org.tfmnist.nn.AveragePooling2D;
import org.tfmnist.nn.BatchNormalization;
import org.tfmnist.nn.Conv2D;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Dropout;
import org.tfmnist.nn.FillMode;
import org.tfmnist.nn.Flatten;
import org.tfmnist.nn.GlobalAveragePooling2D;
import org.tfmnist.nn.Initializer;
import org.tfmnist.nn.Initializers;
import org.tfmnist.nn.Layer;
import org.tfmnist.nn.LeakyReLU;
import org.tfmnist.nn.MaxPooling2D;
import org.tfmnist.nn.Padding;
import org.tfmnist.nn.Pooling2D;
import org.tfmnist.nn.RandomRotation;
import org.tfmnist.nn.RandomTransform;
import org.tfmnist.nn.RandomTranslation;
import org.tfmnist.nn.RandomZoom;
import org.tfmnist.nn.Reshape;

/**
 * Each layer of the library and its Keras config, both ways: the one place that knows which Keras
 * arguments a layer has and which values it can honour (see the README's table of Keras layers).
 */
final class KerasLayers {

  private KerasLayers() {}

  /** The layer's own arguments in Keras 3's {@code get_config()} (name, trainable, dtype aside). */
  static Map<String, Object> config(Layer layer) {
    Map<String, Object> c = new LinkedHashMap<>();
    if (layer instanceof Dense d) {
      c.put("units", d.units());
      c.put("activation", d.activation().kerasName());
      c.put("use_bias", d.useBias());
      c.put("kernel_initializer", KerasJson.initializer(d.kernelInitializer()));
      c.put("bias_initializer", KerasJson.initializer(d.biasInitializer()));
    } else if (layer instanceof Conv2D d) {
      c.put("filters", d.filters());
      c.put("kernel_size", List.of(d.kernelSize()[0], d.kernelSize()[1]));
      c.put("strides", List.of(d.stride(), d.stride()));
      c.put("padding", d.padding().name().toLowerCase(Locale.ROOT));
      c.put("data_format", "channels_last");
      c.put("dilation_rate", List.of(1, 1));
      c.put("groups", 1);
      c.put("activation", d.activation().kerasName());
      c.put("use_bias", d.useBias());
      c.put("kernel_initializer", KerasJson.initializer(d.kernelInitializer()));
      c.put("bias_initializer", KerasJson.initializer(d.biasInitializer()));
    } else if (layer instanceof Pooling2D p) {
      c.put("pool_size", List.of(p.poolSize(), p.poolSize()));
      c.put("padding", p.padding().name().toLowerCase(Locale.ROOT));
      c.put("strides", List.of(p.stride(), p.stride()));
      c.put("data_format", "channels_last");
    } else if (layer instanceof GlobalAveragePooling2D) {
      c.put("data_format", "channels_last");
      c.put("keepdims", false);
    } else if (layer instanceof Flatten) {
      c.put("data_format", "channels_last");
    } else if (layer instanceof Reshape r) {
      c.put("target_shape", java.util.Arrays.stream(r.targetShape()).boxed().toList());
    } else if (layer instanceof Dropout d) {
      c.put("rate", d.rate());
      c.put("seed", null);
      c.put("noise_shape", null);
    } else if (layer instanceof ActivationLayer a) {
      c.put("activation", a.activation().kerasName());
    } else if (layer instanceof LeakyReLU l) {
      c.put("negative_slope", l.negativeSlope());
    } else if (layer instanceof BatchNormalization b) {
      c.put("axis", -1);
      c.put("momentum", b.momentum());
      c.put("epsilon", b.epsilon());
      c.put("center", true);
      c.put("scale", true);
    } else if (layer instanceof RandomTransform t) {
      c.put("data_format", "channels_last");
      if (t instanceof RandomRotation r) {
        c.put("factor", List.of(-r.factor(), r.factor()));
      } else if (t instanceof RandomZoom z) {
        c.put("height_factor", z.heightFactor());
        c.put("width_factor", z.widthFactor());
      } else if (t instanceof RandomTranslation tr) {
        c.put("height_factor", tr.heightFactor());
        c.put("width_factor", tr.widthFactor());
      }
      c.put("fill_mode", t.fillMode().kerasName());
      c.put("interpolation", "bilinear");
      c.put("seed", null);
      c.put("fill_value", (double) t.fillValue());
    } else {
      throw new IllegalArgumentException("no Keras config for " + layer.kerasType());
    }
    return c;
  }

  /** Keras' layer {@code className} with config {@code a}, as a layer of the library. */
  static Layer layer(String className, KerasArgs a) {
    return switch (className) {
      case "Dense" -> dense(a);
      case "Conv2D", "Convolution2D" -> conv2d(a);
      case "MaxPooling2D", "MaxPool2D", "AveragePooling2D", "AvgPool2D" -> pooling(className, a);
      case "GlobalAveragePooling2D", "GlobalAvgPool2D" -> {
        channelsLast(a);
        a.require("keepdims", false, " (only keepdims=False)");
        yield new GlobalAveragePooling2D();
      }
      case "Flatten" -> {
        channelsLast(a);
        yield new Flatten();
      }
      case "Reshape" -> {
        int[] t = a.ints("target_shape", null);
        if (t == null) {
          throw a.error("target_shape is missing");
        }
        yield new Reshape(java.util.Arrays.stream(t).asLongStream().toArray());
      }
      case "Dropout" -> {
        a.requireNull("noise_shape");
        yield new Dropout(a.number("rate", 0.5));
      }
      case "Activation" -> new ActivationLayer(activation(a, "activation"));
      case "LeakyReLU" ->
          new LeakyReLU(
              a.has("negative_slope")
                  ? a.number("negative_slope", 0.3)
                  : a.number("alpha", LeakyReLU.DEFAULT_NEGATIVE_SLOPE));
      case "BatchNormalization" -> batchNorm(a);
      case "RandomRotation" -> {
        augmentation(a);
        yield new RandomRotation(
            symmetric(a, "factor"), fill(a), (float) a.number("fill_value", 0));
      }
      case "RandomZoom" -> {
        augmentation(a);
        Double w = a.has("width_factor") ? symmetric(a, "width_factor") : null;
        yield new RandomZoom(
            symmetric(a, "height_factor"), w, fill(a), (float) a.number("fill_value", 0));
      }
      case "RandomTranslation" -> {
        augmentation(a);
        yield new RandomTranslation(
            symmetric(a, "height_factor"),
            symmetric(a, "width_factor"),
            fill(a),
            (float) a.number("fill_value", 0));
      }
      default -> throw a.error("the layer class " + className + " is not supported");
    };
  }

  /**
   * What a kernel layer may carry that changes training or the weights' form (regularizers add to
   * the loss, constraints clip the weights, LoRA and quantization change them): refused when set.
   */
  private static final String[] KERNEL_EXTRAS = {
    "kernel_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "bias_constraint",
    "lora_rank",
    "quantization_config"
  };

  private static Dense dense(KerasArgs a) {
    a.requireNull(KERNEL_EXTRAS);
    Dense d =
        new Dense(
            a.integer("units", 0),
            activation(a, "activation"),
            initializer(a, "kernel_initializer", Initializers.glorotUniform()),
            initializer(a, "bias_initializer", Initializers.zeros()));
    return a.bool("use_bias", true) ? d : d.withoutBias();
  }

  private static Conv2D conv2d(KerasArgs a) {
    channelsLast(a);
    a.require("dilation_rate", List.of(1, 1), " (only (1, 1))");
    a.require("groups", 1, " (only 1)");
    a.requireNull(KERNEL_EXTRAS);
    int[] k = a.ints("kernel_size", null);
    if (k == null || k.length != 2) {
      throw a.error("kernel_size " + KerasJson.show(a.raw("kernel_size")) + " is not (h, w)");
    }
    Conv2D c =
        new Conv2D(
            a.integer("filters", 0),
            k[0],
            k[1],
            a.square("strides", 1),
            padding(a),
            activation(a, "activation"),
            initializer(a, "kernel_initializer", Initializers.glorotUniform()),
            initializer(a, "bias_initializer", Initializers.zeros()));
    return a.bool("use_bias", true) ? c : c.withoutBias();
  }

  private static Layer pooling(String className, KerasArgs a) {
    channelsLast(a);
    int pool = a.square("pool_size", 2);
    int stride = a.has("strides") ? a.square("strides", null) : pool;
    Padding p = padding(a);
    return className.startsWith("Max")
        ? new MaxPooling2D(pool, stride, p)
        : new AveragePooling2D(pool, stride, p);
  }

  private static BatchNormalization batchNorm(KerasArgs a) {
    Object axis = a.raw("axis");
    boolean last =
        axis == null
            || (axis instanceof Number n && (n.intValue() == -1 || n.intValue() == 3))
            || (axis instanceof List<?> l
                && l.size() == 1
                && l.get(0) instanceof Number n1
                && (n1.intValue() == -1 || n1.intValue() == 3));
    if (!last) {
      throw a.error("axis " + KerasJson.show(axis) + " is not supported (only the last axis)");
    }
    a.require("center", true, " (only center=True)");
    a.require("scale", true, " (only scale=True)");
    a.require("renorm", false, " (no batch renormalization)");
    a.require("synchronized", false, "");
    a.requireNull("beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
    return new BatchNormalization(a.number("momentum", 0.99), a.number("epsilon", 0.001));
  }

  private static void augmentation(KerasArgs a) {
    channelsLast(a);
    a.require("interpolation", "bilinear", " (only 'bilinear')");
  }

  /** A factor as one number f, or the pair (-f, f) Keras also writes; others are refused. */
  private static double symmetric(KerasArgs a, String key) {
    Object v = a.raw(key);
    if (v instanceof Number n) {
      return Math.abs(n.doubleValue());
    }
    if (v instanceof List<?> l
        && l.size() == 2
        && l.get(0) instanceof Number lo
        && l.get(1) instanceof Number hi
        && lo.doubleValue() == -hi.doubleValue()) {
      return hi.doubleValue();
    }
    throw a.error(key + " " + KerasJson.show(v) + " is not supported (only f or (-f, f))");
  }

  private static FillMode fill(KerasArgs a) {
    String f = a.string("fill_mode", "reflect");
    try {
      return FillMode.valueOf(f.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw a.error("fill_mode '" + f + "' is not supported");
    }
  }

  private static void channelsLast(KerasArgs a) {
    a.require("data_format", "channels_last", " (only channels_last)");
  }

  private static Padding padding(KerasArgs a) {
    String p = a.string("padding", "valid").toLowerCase(Locale.ROOT);
    return switch (p) {
      case "valid" -> Padding.VALID;
      case "same" -> Padding.SAME;
      default -> throw a.error("padding '" + p + "' is not supported (only valid and same)");
    };
  }

  /** An activation named by a string, or by Keras' serialized function object. */
  static Activation activation(KerasArgs a, String key) {
    Object v = a.raw(key);
    if (v == null) {
      return Activation.LINEAR;
    }
    String name =
        v instanceof Map<?, ?> m ? String.valueOf(m.get("config")) : String.valueOf(v).trim();
    if (v instanceof Map<?, ?> m && m.get("config") instanceof String s) {
      name = s;
    }
    Activation act = Activation.fromKeras(name);
    if (act == null) {
      throw a.error("the activation " + KerasJson.show(v) + " is not supported");
    }
    return act;
  }

  private static Initializer initializer(KerasArgs a, String key, Initializer dflt) {
    Object v = a.raw(key);
    if (v == null) {
      return dflt;
    }
    String cls;
    Map<String, Object> cfg;
    if (v instanceof String s) {
      cls = s;
      cfg = Map.of();
    } else if (KerasJson.map(v) != null) {
      cls = String.valueOf(KerasJson.map(v).get("class_name"));
      cfg = KerasJson.map(KerasJson.map(v).get("config"));
    } else {
      throw a.error(key + " " + KerasJson.show(v) + " is not an initializer");
    }
    KerasArgs c = new KerasArgs(null, "", cfg);
    return switch (cls) {
      case "GlorotUniform", "glorot_uniform" -> Initializers.glorotUniform();
      case "Zeros", "zeros" -> Initializers.zeros();
      case "Ones", "ones" -> Initializers.ones();
      case "RandomNormal", "random_normal" ->
          Initializers.randomNormal(c.number("mean", 0), c.number("stddev", 0.05));
      default ->
          throw a.error(
              key + " " + cls + " is not supported (GlorotUniform, Zeros, Ones, RandomNormal)");
    };
  }
}
