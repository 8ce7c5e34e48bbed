package org.tfmnist.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import org.tfmnist.data.DataException;
import org.tfmnist.image.DigitPng;
import org.tfmnist.image.DigitPreprocessor;
import org.tfmnist.image.ImageFiles;
import org.tfmnist.runtime.ServingModel;

/**
 * {@code POST /v1/models/{m}[/versions/{v}]:recognize}: the route TF Serving lacks. It takes a
 * picture (PNG, JPEG, BMP or GIF; the raw body, or the first file of a multipart form upload),
 * makes it into an MNIST digit exactly as {@code tf-mnist predict} does (a transparent canvas
 * included), runs it through the same batching queue as {@code :predict}, and answers {@code
 * {"model_spec": ..., "digit": 7, "probabilities": [...10], "preprocessed_png": base64}}: the 28x28
 * picture the model saw. A picture that cannot be used is a 400 with the same one-line message
 * {@code predict} prints.
 */
final class PictureApi {

  private final ModelRegistry registry;
  private final Metrics metrics;
  private final RestApi rest;
  private final DigitPreprocessor preprocessor = new DigitPreprocessor();

  /** Decoding and preprocessing are CPU work: one picture per core at a time bounds memory. */
  private final Semaphore cores = new Semaphore(Runtime.getRuntime().availableProcessors());

  /** {@code rest} runs the model as the predict route does (its deadline and metrics). */
  PictureApi(ModelRegistry registry, Metrics metrics, RestApi rest) {
    this.registry = registry;
    this.metrics = metrics;
    this.rest = rest;
  }

  Response recognize(Request req, Route r, byte[] body) {
    return RestApi.counted(
        metrics,
        r.model(),
        "recognize",
        t0 -> {
          RestApi.checkLabel(r);
          String type = req.header("Content-Type");
          String name = "request body";
          byte[] picture = body;
          if (Multipart.is(type)) {
            Multipart.Part part = Multipart.firstFile(type, body);
            name = part.fileName();
            picture = part.data();
          }
          ModelVersion mv = registry.acquire(r.model(), r.version(), r.servable());
          try {
            DigitPreprocessor.Result prepared = prepare(picture, name);
            Scheduler.Result res = rest.run(mv, prepared.pixels(), 1, r.model(), "recognize", t0);
            float[] p = res.outputs().floatRow(mv.model.outputKey(), 0);
            return Response.json(200, answer(mv, p, prepared))
                .withHeader("X-Model-Version", Long.toString(mv.version));
          } finally {
            mv.release();
          }
        });
  }

  private DigitPreprocessor.Result prepare(byte[] picture, String name) {
    cores.acquireUninterruptibly();
    try {
      BufferedImage img = ImageFiles.decode(picture, name);
      return preprocessor.process(img);
    } catch (DataException e) {
      throw HttpError.badRequest(e.getMessage());
    } catch (DigitPreprocessor.NoDigitException e) {
      throw HttpError.badRequest(name + ": " + e.getMessage());
    } finally {
      cores.release();
    }
  }

  private static byte[] answer(ModelVersion mv, float[] p, DigitPreprocessor.Result prepared) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
    try (JsonGenerator g = PredictResponse.JSON.createGenerator(bytes)) {
      g.writeStartObject();
      g.writeObjectFieldStart("model_spec");
      g.writeStringField("name", mv.name);
      g.writeStringField("version", Long.toString(mv.version));
      g.writeStringField("signature_name", mv.model.signatureKey());
      g.writeEndObject();
      g.writeNumberField("digit", ServingModel.argmax(p));
      g.writeArrayFieldStart("probabilities");
      for (float v : p) {
        g.writeNumber(v);
      }
      g.writeEndArray();
      g.writeStringField(
          "preprocessed_png",
          Base64.getEncoder().encodeToString(DigitPng.encode(prepared.pixels())));
      g.writeBooleanField("inverted", prepared.inverted());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
