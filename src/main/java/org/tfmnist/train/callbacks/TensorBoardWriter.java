package org.tfmnist.train.callbacks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tfmnist.train.TrainingException;

/**
 * Scalar summaries for TensorBoard, written by TensorFlow's own summary ops
 * (CreateSummaryFileWriter, WriteScalarSummary) into {@code DIR/train} and {@code DIR/validation},
 * as Keras' TensorBoard callback lays them out: {@code epoch_loss}, {@code epoch_accuracy} in both,
 * {@code epoch_learning_rate}, {@code batch_loss} and {@code batch_accuracy} in train.
 */
final class TensorBoardWriter implements AutoCloseable {

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> value;
  private final Map<String, Op[]> runs = new LinkedHashMap<>(); // write, flush, close

  TensorBoardWriter(Path dir) {
    Ops tf = Ops.create(graph);
    step = tf.withName("step").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    tag = tf.withName("tag").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    value = tf.withName("value").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Map<String, Op> creates = new LinkedHashMap<>();
    for (String run : new String[] {"train", "validation"}) {
      Path logdir = dir.resolve(run).toAbsolutePath();
      try {
        Files.createDirectories(logdir);
      } catch (java.io.IOException e) {
        throw new TrainingException(
            logdir + ": cannot create the TensorBoard directory: " + e.getMessage());
      }
      Ops r = tf.withSubScope(run);
      SummaryWriter w = r.summary.summaryWriter(SummaryWriter.sharedName("tb_" + run));
      creates.put(
          run,
          r.summary.createSummaryFileWriter(
              w,
              r.constant(logdir.toString()),
              r.constant(10),
              r.constant(1000),
              r.constant(".v2")));
      runs.put(
          run,
          new Op[] {
            r.summary.writeScalarSummary(w, step, tag, value),
            r.summary.flushSummaryWriter(w),
            r.summary.closeSummaryWriter(w)
          });
    }
    session = new Session(graph);
    Session.Runner init = session.runner();
    creates.values().forEach(init::addTarget);
    init.run();
  }

  void scalar(String run, String name, long at, double v) {
    Op[] ops = runs.get(run);
    try (TInt64 s = TInt64.scalarOf(at);
        TString t = TString.scalarOf(name);
        TFloat32 x = TFloat32.scalarOf((float) v)) {
      session.runner().feed(step, s).feed(tag, t).feed(value, x).addTarget(ops[0]).run();
    }
  }

  void flush() {
    Session.Runner r = session.runner();
    runs.values().forEach(ops -> r.addTarget(ops[1]));
    r.run();
  }

  @Override
  public void close() {
    Session.Runner r = session.runner();
    runs.values().forEach(ops -> r.addTarget(ops[2]));
    r.run();
    session.close();
    graph.close();
  }
}
