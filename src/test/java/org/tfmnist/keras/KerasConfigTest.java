package org.tfmnist.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tfmnist.nn.Activation;
import org.tfmnist.nn.Dense;
import org.tfmnist.nn.Loss;
import org.tfmnist.nn.Sequential;
import org.tfmnist.optim.OptimizerSpec;
import org.tfmnist.presets.Preset;
import org.tfmnist.presets.Presets;

/**
 * Keras' model JSON both ways: every preset written and read back as the same model and compile
 * arguments, the JSON Keras itself wrote read as Keras built it (names, classes, parameters), a
 * Keras 2 {@code model_config}, each activation and loss, and each thing the library lacks refused
 * in one line naming its place.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KerasConfigTest {

  static final Path FILE = Path.of("model.keras");

  static String resource(String name) throws Exception {
    return Files.readString(org.tfmnist.KerasFixtures.path(name));
  }

  @Test
  void everyPresetRoundTrips() {
    for (Preset p : Presets.all().values()) {
      OptimizerSpec opt = p.recipe().optimizer();
      KerasModelConfig back =
          KerasConfig.fromJson(FILE, KerasConfig.toJson(p.model(), opt, p.recipe().loss()));
      assertEquals(p.model().summary(), back.network().summary(), p.name());
      for (int i = 0; i < p.model().layers().size(); i++) {
        assertEquals(
            p.model().layers().get(i).layer().config(),
            back.network().layers().get(i).layer().config(),
            p.name() + " layer " + i);
      }
      assertEquals(opt, back.compiled().optimizer(), p.name());
      // Keras has no quadratic cost: Nielsen's network goes out with mean_squared_error
      Loss expected =
          p.recipe().loss() == Loss.QUADRATIC ? Loss.MEAN_SQUARED_ERROR : p.recipe().loss();
      assertEquals(expected, back.compiled().loss(), p.name());
    }
  }

  @Test
  void readsTheJsonKerasWrote() throws Exception {
    KerasModelConfig c = KerasConfig.fromJson(FILE, resource("bn_aug_config.json"));
    Sequential n = c.network();
    assertEquals("bn_aug", n.name());
    assertEquals(
        List.of(
            "Reshape",
            "RandomRotation",
            "RandomZoom",
            "RandomTranslation",
            "Conv2D",
            "BatchNormalization",
            "Activation",
            "AveragePooling2D",
            "Conv2D",
            "BatchNormalization",
            "LeakyReLU",
            "GlobalAveragePooling2D",
            "Dropout",
            "Dense"),
        n.layers().stream().map(b -> b.layer().kerasType()).toList());
    assertEquals("leaky_re_lu", n.layers().get(10).name());
    assertEquals(1490, n.paramCount(), "Keras' count_params()");
    assertEquals(OptimizerSpec.Kind.SGD, c.compiled().optimizer().kind());
    assertEquals(0.9, c.compiled().optimizer().momentum(), 1e-9);
    assertTrue(c.compiled().optimizer().nesterov());
    assertEquals(Loss.CATEGORICAL_CROSSENTROPY, c.compiled().loss());
  }

  /** A tf.keras 2 functional model_config: lists for inbound nodes, batch_input_shape, alpha. */
  @Test
  void readsAKeras2FunctionalChain() {
    String model =
        "{\"class_name\": \"Functional\", \"config\": {\"name\": \"model\", \"layers\": ["
            + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 28, 28],"
            + " \"dtype\": \"float32\", \"name\": \"input_1\"}, \"name\": \"input_1\","
            + " \"inbound_nodes\": []},"
            + "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flatten\", \"trainable\":"
            + " true, \"dtype\": \"float32\", \"data_format\": \"channels_last\"}, \"name\":"
            + " \"flatten\", \"inbound_nodes\": [[[\"input_1\", 0, 0, {}]]]},"
            + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 32,"
            + " \"activation\": \"linear\", \"use_bias\": true, \"kernel_initializer\":"
            + " {\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}},"
            + " \"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}}, \"name\":"
            + " \"hidden\", \"inbound_nodes\": [[[\"flatten\", 0, 0, {}]]]},"
            + "{\"class_name\": \"LeakyReLU\", \"config\": {\"name\": \"leaky\", \"alpha\": 0.1},"
            + " \"name\": \"leaky\", \"inbound_nodes\": [[[\"hidden\", 0, 0, {}]]]},"
            + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 10,"
            + " \"activation\": \"softmax\"}, \"name\": \"out\", \"inbound_nodes\":"
            + " [[[\"leaky\", 0, 0, {}]]]}],"
            + " \"input_layers\": [[\"input_1\", 0, 0]], \"output_layers\": [[\"out\", 0, 0]]},"
            + " \"keras_version\": \"2.15.0\", \"backend\": \"tensorflow\"}";
    String training =
        "{\"loss\": \"sparse_categorical_crossentropy\", \"metrics\": [\"accuracy\"],"
            + " \"optimizer_config\": {\"class_name\": \"Adam\", \"config\": {\"name\": \"Adam\","
            + " \"learning_rate\": 0.002, \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1e-07,"
            + " \"amsgrad\": false}}}";
    KerasModelConfig c = KerasConfig.fromLegacy(FILE, model, training);
    assertEquals(
        List.of("flatten", "hidden", "leaky", "out"),
        c.network().layers().stream().map(Sequential.BuiltLayer::name).toList());
    assertEquals(
        "negative_slope=0.1", c.network().layers().get(2).layer().config(), "Keras 2's alpha");
    assertEquals(OptimizerSpec.Kind.ADAM, c.compiled().optimizer().kind());
    assertEquals(0.002, c.compiled().optimizer().learningRate(), 1e-12);
    assertEquals(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, c.compiled().loss());
    assertNull(KerasConfig.fromLegacy(FILE, model, null).compiled());
  }

  @Test
  void everyActivationByItsKerasNames() throws Exception {
    Map<String, Activation> names =
        Map.of(
            "relu",
            Activation.RELU,
            "sigmoid",
            Activation.SIGMOID,
            "tanh",
            Activation.TANH,
            "softmax",
            Activation.SOFTMAX,
            "linear",
            Activation.LINEAR,
            "elu",
            Activation.ELU,
            "selu",
            Activation.SELU,
            "gelu",
            Activation.GELU,
            "swish",
            Activation.SILU,
            "silu",
            Activation.SILU);
    for (Map.Entry<String, Activation> e : names.entrySet()) {
      Sequential n = withHidden(m -> m.put("activation", e.getKey()));
      assertEquals(e.getValue(), ((Dense) n.layers().get(1).layer()).activation(), e.getKey());
    }
    Sequential leaky = withHidden(m -> m.put("activation", "leaky_relu"));
    assertEquals(Activation.LEAKY_RELU, ((Dense) leaky.layers().get(1).layer()).activation());
  }

  @Test
  void bothCrossEntropiesFromLogitsEitherWay() throws Exception {
    for (Loss l :
        List.of(
            Loss.CATEGORICAL_CROSSENTROPY,
            Loss.CATEGORICAL_CROSSENTROPY_FROM_LOGITS,
            Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
            Loss.SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS,
            Loss.MEAN_SQUARED_ERROR)) {
      String json = KerasConfig.toJson(Presets.mlp().model(), OptimizerSpec.adam(), l);
      assertEquals(l, KerasConfig.fromJson(FILE, json).compiled().loss(), l.name());
    }
  }

  /** Each: a change to the mlp preset's JSON, and the words of the one-line refusal. */
  @Test
  void whatTheLibraryLacksIsOneLineNamingItsPlace() throws Exception {
    Map<String, Consumer<Map<String, Object>>> cases = new java.util.LinkedHashMap<>();
    cases.put(
        "model.keras: layer 2 'dense' (Dense): the activation 'hard_sigmoid' is not supported",
        c -> layer(c, 2).put("activation", "hard_sigmoid"));
    cases.put(
        "model.keras: layer 2 'dense' (Attention): the layer class Attention is not supported",
        c -> layers(c).get(2).put("class_name", "Attention"));
    cases.put(
        "model.keras: layer 2 'dense' (Dense): kernel_regularizer",
        c -> layer(c, 2).put("kernel_regularizer", Map.of("class_name", "L2")));
    cases.put(
        "model.keras: layer 2 'dense' (Dense): kernel_initializer HeNormal is not supported",
        c -> layer(c, 2).put("kernel_initializer", Map.of("class_name", "HeNormal")));
    cases.put(
        "model.keras: layer 1 'flatten' (Flatten): data_format 'channels_first' is not supported",
        c -> layer(c, 1).put("data_format", "channels_first"));
    cases.put(
        "model.keras: the input shape [784] is not supported",
        c -> layer(c, 0).put("batch_shape", java.util.Arrays.asList(null, 784)));
    cases.put(
        "model.keras: compile: optimizer Adam: amsgrad true is not supported",
        c -> {
          Map<String, Object> o = opt(c);
          o.put("class_name", "Adam");
          ((Map<String, Object>) o.get("config")).put("amsgrad", true);
        });
    cases.put(
        "model.keras: compile: optimizer Nadam: not supported",
        c -> opt(c).put("class_name", "Nadam"));
    cases.put(
        "model.keras: compile: loss 'hinge' is not supported",
        c -> ((Map<String, Object>) c.get("compile_config")).put("loss", "hinge"));
    cases.put(
        "model.keras: the functional model is not a single chain of layers",
        c -> c.put("class_name", "Functional"));
    cases.put("model.keras: a MyModel model is not supported", c -> c.put("class_name", "MyModel"));
    String base =
        KerasConfig.toJson(
            Presets.mlp().model(), OptimizerSpec.rmsprop(), Loss.CATEGORICAL_CROSSENTROPY);
    for (Map.Entry<String, Consumer<Map<String, Object>>> e : cases.entrySet()) {
      Map<String, Object> c = JSON.std.mapFrom(base);
      e.getValue().accept(c);
      String json = JSON.std.asString(c);
      KerasFileException x =
          assertThrows(
              KerasFileException.class, () -> KerasConfig.fromJson(FILE, json), e.getKey());
      assertTrue(x.getMessage().startsWith(e.getKey()), x.getMessage());
      assertTrue(!x.getMessage().contains("\n"), x.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> layers(Map<String, Object> c) {
    return (List<Map<String, Object>>) ((Map<String, Object>) c.get("config")).get("layers");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> layer(Map<String, Object> c, int i) {
    return (Map<String, Object>) layers(c).get(i).get("config");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> opt(Map<String, Object> c) {
    return (Map<String, Object>) ((Map<String, Object>) c.get("compile_config")).get("optimizer");
  }

  /** The mlp preset's JSON with its hidden Dense changed by {@code change}, read back. */
  static Sequential withHidden(Consumer<Map<String, Object>> change) throws IOException {
    Map<String, Object> c =
        JSON.std.mapFrom(
            KerasConfig.toJson(
                Presets.mlp().model(), OptimizerSpec.rmsprop(), Loss.CATEGORICAL_CROSSENTROPY));
    change.accept(layer(c, 2));
    return KerasConfig.fromJson(FILE, JSON.std.asString(c)).network();
  }
}
