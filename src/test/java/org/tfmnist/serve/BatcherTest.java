package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tfmnist.export.Outputs;
import org.tfmnist.export.TestOutputs;

/**
 * The batcher with a fake model: requests queued while a run is under way are merged into one run
 * of at most {@code maxBatchSize} images, each request gets back its own rows, a large request is
 * split and joined, a full queue is a 503, a request larger than the whole queue a 413, a failed
 * run fails every request in it, and close runs what is queued and then refuses. The fake model's
 * first run can be held, so that what queues behind it is known exactly.
 */
@Timeout(30)
class BatcherTest {

  /** Answers each image with a row whose first value is the image's first pixel (its tag). */
  static final class FakeModel implements Scheduler.Runner {
    final List<Integer> runs = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch firstEntered = new CountDownLatch(1);
    final CountDownLatch releaseFirst = new CountDownLatch(1);
    final boolean holdFirst;
    final AtomicInteger calls = new AtomicInteger();
    volatile RuntimeException failAfterFirst;

    FakeModel(boolean holdFirst) {
      this.holdFirst = holdFirst;
    }

    @Override
    public Outputs run(float[] pixels, int count) {
      int call = calls.getAndIncrement();
      runs.add(count);
      if (pixels.length != count * 784) {
        throw new AssertionError(pixels.length + " floats for " + count + " images");
      }
      if (call == 0 && holdFirst) {
        firstEntered.countDown();
        await(releaseFirst);
      }
      if (call > 0 && failAfterFirst != null) {
        throw failAfterFirst;
      }
      float[] tags = new float[count];
      for (int i = 0; i < count; i++) {
        tags[i] = pixels[i * 784];
      }
      return TestOutputs.rows("p", tags, 3);
    }
  }

  static void await(CountDownLatch l) {
    try {
      assertTrue(l.await(20, TimeUnit.SECONDS), "latch not reached");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code count} images tagged {@code first, first + 1, ...}. */
  static float[] images(float first, int count) {
    float[] p = new float[count * 784];
    for (int i = 0; i < count; i++) {
      p[i * 784] = first + i;
    }
    return p;
  }

  static float[] tags(CompletableFuture<Scheduler.Result> f) throws Exception {
    Outputs o = f.get(20, TimeUnit.SECONDS).outputs();
    float[] t = new float[o.rows()];
    for (int r = 0; r < o.rows(); r++) {
      t[r] = o.floatRow("p", r)[0];
    }
    return t;
  }

  static float[] range(float first, int count) {
    float[] t = new float[count];
    for (int i = 0; i < count; i++) {
      t[i] = first + i;
    }
    return t;
  }

  final Metrics metrics = new Metrics();
  Batcher batcher;

  Batcher batcher(FakeModel m, int maxBatch, long timeoutMicros, int maxEnqueuedBatches) {
    batcher = new Batcher("pool", m, maxBatch, timeoutMicros, maxEnqueuedBatches, 1, metrics);
    return batcher;
  }

  /** Closes on another thread with a limit: a broken batcher must fail the test, not hang it. */
  @AfterEach
  void close() throws InterruptedException {
    if (batcher != null) {
      Thread closer = new Thread(batcher::close, "close-batcher");
      closer.setDaemon(true);
      closer.start();
      closer.join(20_000);
      assertTrue(!closer.isAlive(), "close() did not return within 20 s");
    }
  }

  static Stream<Arguments> queuedBehindARun() {
    return Stream.of(
        // max batch size, images of each request queued behind the held run, runs expected after
        Arguments.of(8, new int[] {1, 1, 1}, List.of(3)),
        Arguments.of(4, new int[] {2, 2, 2}, List.of(4, 2)),
        Arguments.of(4, new int[] {3, 2, 1}, List.of(3, 3)),
        Arguments.of(4, new int[] {4, 4}, List.of(4, 4)),
        Arguments.of(5, new int[] {1, 2, 3, 4}, List.of(3, 3, 4)),
        Arguments.of(64, new int[] {5, 7, 9, 11}, List.of(32)));
  }

  @ParameterizedTest(name = "[{index}] max {0}, queued {1} -> runs {2}")
  @MethodSource("queuedBehindARun")
  void queuedRequestsAreMergedUpToTheMaximumAndGetTheirOwnRows(
      int maxBatch, int[] sizes, List<Integer> expectedRuns) throws Exception {
    FakeModel m = new FakeModel(true);
    Batcher b = batcher(m, maxBatch, 0, 100);
    CompletableFuture<Scheduler.Result> first = b.submit(images(1000, 1), 1);
    await(m.firstEntered);
    List<CompletableFuture<Scheduler.Result>> queued = new ArrayList<>();
    float tag = 0;
    for (int n : sizes) {
      queued.add(b.submit(images(tag, n), n));
      tag += n;
    }
    assertEquals((int) tag, b.queuedImages(), "images waiting behind the held run");
    m.releaseFirst.countDown();
    assertArrayEquals(new float[] {1000}, tags(first));
    tag = 0;
    for (int i = 0; i < sizes.length; i++) {
      assertArrayEquals(range(tag, sizes[i]), tags(queued.get(i)), "request " + i + "'s rows");
      tag += sizes[i];
    }
    List<Integer> runs = new ArrayList<>(expectedRuns);
    runs.add(0, 1);
    assertEquals(runs, m.runs, "images per run");
    assertEquals(0, b.queuedImages());
    double[] sizesSeen = metrics.batchSize.totals("pool");
    assertEquals(runs.size(), sizesSeen[0], "batches counted");
    assertEquals(runs.stream().mapToInt(Integer::intValue).sum(), sizesSeen[1], "images counted");
  }

  @ParameterizedTest(name = "[{index}] {0} images, max {1} -> runs {2}")
  @MethodSource("splits")
  void aLargeRequestIsSplitAndJoinedInOrder(int count, int maxBatch, List<Integer> runs)
      throws Exception {
    FakeModel m = new FakeModel(false);
    Batcher b = batcher(m, maxBatch, 0, 100);
    assertArrayEquals(range(5, count), tags(b.submit(images(5, count), count)));
    assertEquals(runs, m.runs);
  }

  static Stream<Arguments> splits() {
    return Stream.of(
        Arguments.of(10, 4, List.of(4, 4, 2)),
        Arguments.of(8, 4, List.of(4, 4)),
        Arguments.of(5, 4, List.of(4, 1)),
        Arguments.of(4, 4, List.of(4)),
        Arguments.of(3, 1, List.of(1, 1, 1)));
  }

  @Test
  void theOldestWaitsForOthersUntilTheBatchIsFull() throws Exception {
    FakeModel m = new FakeModel(false);
    // a timeout far longer than the test: the batch can only start by filling up
    Batcher b = batcher(m, 4, TimeUnit.SECONDS.toMicros(60), 100);
    List<CompletableFuture<Scheduler.Result>> fs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      fs.add(b.submit(images(i, 1), 1));
    }
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(new float[] {i}, tags(fs.get(i)));
    }
    assertEquals(List.of(4), m.runs);
  }

  @Test
  void aLoneRequestRunsOnceItsTimeoutHasPassed() throws Exception {
    FakeModel m = new FakeModel(false);
    Batcher b = batcher(m, 64, 1000, 100);
    assertArrayEquals(new float[] {7, 8}, tags(b.submit(images(7, 2), 2)));
    assertEquals(List.of(2), m.runs);
  }

  @Test
  void aFullQueueRefusesWith503AndTakesNoPartOfARequest() throws Exception {
    FakeModel m = new FakeModel(true);
    Batcher b = batcher(m, 2, 0, 2); // at most 2 batches of 2 images waiting
    CompletableFuture<Scheduler.Result> running = b.submit(images(100, 1), 1);
    await(m.firstEntered);
    CompletableFuture<Scheduler.Result> a = b.submit(images(0, 2), 2);
    CompletableFuture<Scheduler.Result> c = b.submit(images(2, 1), 1);
    for (int n : new int[] {2, 3, 4}) {
      ServeException e =
          assertThrows(ServeException.class, () -> b.submit(images(50, n), n), n + " images");
      assertEquals(503, HttpStatus.of(e.reason()));
      assertEquals("UNAVAILABLE", e.code());
      assertEquals(
          "The batch scheduling queue to which this task was submitted is full (3 images waiting,"
              + " at most 4)",
          e.getMessage());
      assertEquals(3, b.queuedImages(), "a refused request leaves nothing queued");
    }
    CompletableFuture<Scheduler.Result> last = b.submit(images(3, 1), 1); // exactly full
    m.releaseFirst.countDown();
    assertArrayEquals(new float[] {100}, tags(running));
    assertArrayEquals(new float[] {0, 1}, tags(a));
    assertArrayEquals(new float[] {2}, tags(c));
    assertArrayEquals(new float[] {3}, tags(last));
    assertEquals(0, b.queuedImages());
  }

  /** A request larger than the whole queue could never be taken: 413, not a 503 to retry. */
  @Test
  void aRequestLargerThanTheQueueIsRefusedWith413EvenWhenTheQueueIsEmpty() {
    FakeModel m = new FakeModel(false);
    Batcher b = batcher(m, 2, 0, 2); // the queue holds 4 images
    ServeException e = assertThrows(ServeException.class, () -> b.submit(images(0, 5), 5));
    assertEquals(413, HttpStatus.of(e.reason()));
    assertEquals("RESOURCE_EXHAUSTED", e.code());
    assertEquals(
        "the request has 5 images; this server takes at most 4 images per request (the batching"
            + " queue's size: 2 batches of 2)",
        e.getMessage());
    assertEquals(0, b.queuedImages());
    assertTrue(m.runs.isEmpty(), "nothing ran");
  }

  @Test
  void aFailedRunFailsEveryRequestInItWithTheSameError() throws Exception {
    FakeModel m = new FakeModel(true);
    Batcher b = batcher(m, 8, 0, 100);
    CompletableFuture<Scheduler.Result> first = b.submit(images(0, 1), 1);
    await(m.firstEntered);
    RuntimeException boom = new IllegalStateException("session run failed");
    m.failAfterFirst = boom;
    List<CompletableFuture<Scheduler.Result>> fs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fs.add(b.submit(images(i, 2), 2));
    }
    m.releaseFirst.countDown();
    assertArrayEquals(new float[] {0}, tags(first));
    for (CompletableFuture<Scheduler.Result> f : fs) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> tags(f));
      assertSame(boom, e.getCause());
    }
    assertEquals(List.of(1, 6), m.runs);
    // the batch thread survives a failed run
    m.failAfterFirst = null;
    assertArrayEquals(new float[] {9}, tags(b.submit(images(9, 1), 1)));
  }

  @Test
  void aSplitRequestFailsWhenOneOfItsPartsFails() {
    FakeModel m = new FakeModel(false);
    m.failAfterFirst = new IllegalStateException("second part failed");
    Batcher b = batcher(m, 2, 0, 100);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> tags(b.submit(images(0, 5), 5)));
    assertSame(m.failAfterFirst, e.getCause());
  }

  @Test
  void aRequestGivenUpBeforeItsRunIsSkipped() throws Exception {
    FakeModel m = new FakeModel(true);
    Batcher b = batcher(m, 8, 0, 100);
    b.submit(images(0, 1), 1);
    await(m.firstEntered);
    CompletableFuture<Scheduler.Result> gaveUp = b.submit(images(1, 3), 3);
    CompletableFuture<Scheduler.Result> kept = b.submit(images(4, 2), 2);
    gaveUp.cancel(false);
    m.releaseFirst.countDown();
    assertArrayEquals(new float[] {4, 5}, tags(kept));
    assertEquals(List.of(1, 2), m.runs);
  }

  @Test
  void closeRunsWhatIsQueuedThenRefuses() throws Exception {
    FakeModel m = new FakeModel(true);
    Batcher b = batcher(m, 8, 0, 100);
    CompletableFuture<Scheduler.Result> first = b.submit(images(0, 1), 1);
    await(m.firstEntered);
    CompletableFuture<Scheduler.Result> queued = b.submit(images(1, 2), 2);
    Thread closer = new Thread(b::close, "closer");
    closer.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (closer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // close() is waiting for the batch thread
    }
    assertEquals(Thread.State.WAITING, closer.getState());
    ServeException e = assertThrows(ServeException.class, () -> b.submit(images(9, 1), 1));
    assertEquals(503, HttpStatus.of(e.reason()));
    assertEquals("this model version is being unloaded; retry", e.getMessage());
    m.releaseFirst.countDown();
    closer.join(20_000);
    assertTrue(!closer.isAlive(), "close() returned");
    assertArrayEquals(new float[] {0}, tags(first));
    assertArrayEquals(new float[] {1, 2}, tags(queued));
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals("batch-pool-0") && t.isAlive()),
        "the batch thread has ended");
  }

  @Test
  void theDirectSchedulerRunsOnTheCallersThreadAndReturnsFailures() throws Exception {
    FakeModel m = new FakeModel(false);
    try (Scheduler.Direct d = new Scheduler.Direct(m)) {
      CompletableFuture<Scheduler.Result> f = d.submit(images(3, 2), 2);
      assertTrue(f.isDone(), "answered before submit returns");
      assertArrayEquals(new float[] {3, 4}, tags(f));
      m.failAfterFirst = new IllegalStateException("x");
      CompletableFuture<Scheduler.Result> g = d.submit(images(0, 1), 1);
      assertSame(m.failAfterFirst, assertThrows(ExecutionException.class, g::get).getCause());
    }
  }
}
