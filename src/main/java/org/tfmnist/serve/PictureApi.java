package org.tfmnist.serve;

import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import org.tfmnist.data.BadInputException;
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

  private final Inference inference;
  private final DigitPreprocessor preprocessor = new DigitPreprocessor();

  /** Decoding and preprocessing are CPU work: one picture per core at a time bounds memory. */
  private final Semaphore cores = new Semaphore(Runtime.getRuntime().availableProcessors());

  /** {@code inference} runs the model as the predict route does (its deadline and metrics). */
  PictureApi(Inference inference) {
    this.inference = inference;
  }

  Response recognize(RouteRequest q) {
    Route r = q.route();
    return inference.counted(
        r.model(),
        "recognize",
        t0 -> {
          Inference.checkLabel(r);
          String name = "request body";
          byte[] picture = q.body();
          if (Multipart.is(q.contentType())) {
            Multipart.Part part = Multipart.firstFile(q.contentType(), q.body());
            name = part.fileName();
            picture = part.data();
          }
          ModelVersion mv = inference.acquire(r);
          try {
            DigitPreprocessor.Result prepared = prepare(picture, name);
            Scheduler.Result res = inference.run(mv, prepared.pixels(), 1, "recognize", t0);
            float[] p = res.outputs().floatRow(mv.savedModel.outputKey(), 0);
            return Response.json(200, answer(mv, p, prepared))
                .withHeader("X-Model-Version", Long.toString(mv.version))
                .withServed(mv.name, mv.version, 1);
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
    } catch (BadInputException e) {
      throw ServeException.badRequest(e.getMessage());
    } catch (DigitPreprocessor.NoDigitException e) {
      throw ServeException.badRequest(name + ": " + e.getMessage());
    } finally {
      cores.release();
    }
  }

  private static byte[] answer(ModelVersion mv, float[] p, DigitPreprocessor.Result prepared) {
    return Json.compact(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("model_spec");
          g.writeStringField("name", mv.name);
          g.writeStringField("version", Long.toString(mv.version));
          g.writeStringField("signature_name", mv.savedModel.signatureKey());
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
        });
  }
}
