package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.train.Checkpoints;

/**
 * {@code tf-mnist import} and {@code export --keras}: a Keras file becomes a SavedModel and a
 * checkpoint that {@code train --resume} continues and {@code export --keras} writes back; bad
 * files and bad usage are one line with their exit code, and write nothing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KerasCommandsTest {

  @TempDir Path tmp;

  static Path fixture(String name) {
    return org.tfmnist.KerasFixtures.path(name);
  }

  @Test
  void importedModelsAreServedTrainedOnAndWrittenBack() throws Exception {
    Path models = tmp.resolve("models");
    Path ck = tmp.resolve("ck");
    CliTest.Run imp =
        CliTest.cli(
            "import",
            fixture("small_cnn.h5").toString(),
            "--name",
            "cnn",
            "--models-dir",
            models.toString(),
            "--checkpoint-dir",
            ck.toString());
    assertEquals(0, imp.code(), imp.err());
    assertTrue(Files.isRegularFile(models.resolve("cnn/1/saved_model.pb")), imp.out());
    Checkpoints.State st = Checkpoints.read(ck).state();
    assertEquals(0, st.epoch());
    assertEquals(2, st.globalStep(), "Keras' optimizer step");
    assertTrue(st.model().contains("\"Conv2D\""), "the checkpoint records the model");

    CliTest.Run train =
        CliTest.cli(
            "train",
            "--name",
            "cnn",
            "--resume",
            "--epochs",
            "1",
            "--checkpoint-dir",
            ck.toString(),
            "--models-dir",
            models.toString(),
            "--train-limit",
            "256",
            "--test-limit",
            "100",
            "--progress",
            "lines",
            "--data-dir",
            TestData.dataRoot().toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("Resuming from"), train.out());
    assertTrue(Files.isDirectory(models.resolve("cnn/2")), train.out());
    Checkpoints.State after = Checkpoints.read(ck).state();
    assertEquals(1, after.epoch());
    assertEquals(2 + 8, after.globalStep(), "8 steps of 32 after Keras' 2");
    assertTrue(after.model() != null, "the next checkpoint still records the model");

    Path out = tmp.resolve("back.keras");
    CliTest.Run export =
        CliTest.cli("export", "--checkpoint", ck.toString(), "--keras", out.toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(Files.size(out) > 0);
  }

  /** LeNet-5 as Keras' {@code model.to_json()} wrote it (src/test/resources/keras/lenet5.json). */
  @Test
  void aKerasJsonModelIsSummarisedAndTrained() throws Exception {
    String json = fixture("lenet5.json").toString();
    CliTest.Run summary = CliTest.cli("summary", "--model", json);
    assertEquals(0, summary.code(), summary.err());
    assertTrue(summary.out().contains("Total params: 61,706"), "Keras' count:\n" + summary.out());
    Path models = tmp.resolve("models");
    Path ck = tmp.resolve("ck");
    CliTest.Run train =
        CliTest.cli(
            "train",
            "--model",
            json,
            "--epochs",
            "1",
            "--train-limit",
            "256",
            "--test-limit",
            "100",
            "--checkpoint-dir",
            ck.toString(),
            "--models-dir",
            models.toString(),
            "--progress",
            "lines",
            "--data-dir",
            TestData.dataRoot().toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(Files.isDirectory(models.resolve("lenet5/1")), train.out());
    assertTrue(train.out().contains("[-1,28,28,1]"), train.out());
    Checkpoints.State st = Checkpoints.read(ck).state();
    assertEquals("lenet5", st.preset());
    assertTrue(st.model().contains("\"AveragePooling2D\""), "the checkpoint records the model");
    CliTest.Run both = CliTest.cli("train", "--model", json, "--preset", "cnn");
    assertEquals(2, both.code(), both.err());
  }

  /**
   * A checkpoint a library user writes of a model defined in code (no preset of that name) records
   * the model, so {@code export --checkpoint} rebuilds it, as a SavedModel and as {@code .keras}.
   */
  @Test
  void aCheckpointOfAModelDefinedInCodeExports() throws Exception {
    org.tfmnist.nn.Sequential lenet =
        org.tfmnist.nn.Sequential.of(
            "lenet5",
            org.tfmnist.nn.Sequential.input(28, 28, 1),
            new org.tfmnist.nn.Conv2D(6, 5, org.tfmnist.nn.Activation.RELU),
            new org.tfmnist.nn.MaxPooling2D(),
            new org.tfmnist.nn.Flatten(),
            new org.tfmnist.nn.Dense(10, org.tfmnist.nn.Activation.SOFTMAX));
    Path ck = tmp.resolve("ck");
    org.tfmnist.data.LabeledImages slice = TestData.train().limit(128);
    org.tfmnist.train.Recipe recipe =
        org.tfmnist.train.Recipe.compile(
            org.tfmnist.optim.OptimizerSpec.adam(), org.tfmnist.nn.Loss.CATEGORICAL_CROSSENTROPY);
    try (org.tfmnist.train.Model m = new org.tfmnist.train.Model(lenet, 1, null)) {
      m.compile(recipe.optimizer(), recipe.loss());
      org.tfmnist.train.History h = m.fit(slice, slice, 1, 32, java.util.List.of());
      new Checkpoints(ck, 1)
          .save(
              m,
              Checkpoints.State.builder("lenet5")
                  .epoch(1)
                  .recipe(recipe)
                  .seed(1)
                  .limits(128, 128)
                  .globalStep(m.iterations())
                  .history(h)
                  .build());
    }
    assertTrue(Checkpoints.read(ck).state().model().contains("\"Conv2D\""));
    Path models = tmp.resolve("models");
    CliTest.Run saved =
        CliTest.cli("export", "--checkpoint", ck.toString(), "--models-dir", models.toString());
    assertEquals(0, saved.code(), saved.err());
    assertTrue(Files.isRegularFile(models.resolve("lenet5/1/saved_model.pb")), saved.out());
    CliTest.Run keras =
        CliTest.cli(
            "export", "--checkpoint", ck.toString(), "--keras", tmp.resolve("l.keras").toString());
    assertEquals(0, keras.code(), keras.err());
  }

  @Test
  void badFilesAndUsageAreOneLineAndWriteNothing() throws Exception {
    Path models = tmp.resolve("models");
    Path garbage = Files.writeString(tmp.resolve("model.keras"), "not a model");
    String[][] exit1 = {
      {"import", garbage.toString(), "--name", "x", "--models-dir", models.toString()},
      {
        "import",
        tmp.resolve("missing.keras").toString(),
        "--name",
        "x",
        "--models-dir",
        models.toString()
      },
    };
    for (String[] args : exit1) {
      CliTest.Run r = CliTest.cli(args);
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().startsWith("tf-mnist: error: "), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    CliTest.Run noName = CliTest.cli("import", fixture("small_cnn.keras").toString());
    assertEquals(2, noName.code(), noName.err());
    CliTest.Run notKeras =
        CliTest.cli("export", "--checkpoint", tmp.toString(), "--keras", "out.h5");
    assertEquals(2, notKeras.code(), notKeras.err());
    assertTrue(notKeras.err().contains("ending in .keras"), notKeras.err());
    assertFalse(Files.exists(models), "nothing written");
    assertFalse(Files.exists(Path.of("checkpoints", "x")), "nothing written");
  }
}
