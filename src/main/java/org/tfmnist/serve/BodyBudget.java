package org.tfmnist.serve;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of request bodies the server holds at once. Bodies are read as they arrive, before
 * a request thread takes them, so without a bound 10,000 connections each sending 16 MiB could hold
 * 160 GB. Each request reserves its announced length (or the body limit when it does not announce
 * one) before its body is read, and gives it back when it is answered; a request that does not fit
 * now is refused at once ({@code BODIES_FULL}), which a retry can pass.
 */
final class BodyBudget {

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  BodyBudget(long limit) {
    this.limit = limit;
  }

  /** Reserves {@code bytes}, or refuses when the bodies held already fill the budget. */
  void reserve(long bytes) {
    if (bytes <= 0) {
      return;
    }
    long now = held.get();
    while (true) {
      if (now + bytes > limit) {
        throw new ServeException(
            ServeException.Reason.BODIES_FULL,
            "the server is reading "
                + Bodies.sizeText(now)
                + " of request bodies, its limit is "
                + Bodies.sizeText(limit)
                + " at once; retry later");
      }
      long seen = held.compareAndExchange(now, now + bytes);
      if (seen == now) {
        return;
      }
      now = seen;
    }
  }

  void release(long bytes) {
    if (bytes > 0) {
      held.addAndGet(-bytes);
    }
  }

  long held() {
    return held.get();
  }
}
