package io.hostmesh.platform;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded polling on Vert.x timers, for conditions no event announces (a file on disk, a count
 * of timers). Each check schedules the next one, so there is never a periodic timer to cancel:
 * a periodic timer set from outside an event loop can fire before Vert.x has its handle, and
 * cancelling it from that first tick throws.
 */
public final class Poll {
  private Poll() {}

  /**
   * Completes once {@code condition} holds, checking every {@code every}; fails after
   * {@code within} naming {@code what}. A condition that throws counts as not yet holding.
   */
  public static Future<Void> until(Vertx vertx, Duration within, Duration every, String what, BooleanSupplier condition) {
    Promise<Void> p = Promise.promise();
    step(vertx, System.nanoTime() + within.toNanos(), Math.max(1, every.toMillis()), within, what, condition, p);
    return p.future();
  }

  private static void step(Vertx vertx, long end, long everyMillis, Duration within, String what,
      BooleanSupplier condition, Promise<Void> p) {
    vertx.setTimer(everyMillis, id -> {
      boolean ok;
      try {
        ok = condition.getAsBoolean();
      } catch (RuntimeException e) {
        ok = false;
      }
      if (ok) {
        p.tryComplete();
      } else if (System.nanoTime() > end) {
        p.tryFail("not reached within " + within.toMillis() + " ms: " + what);
      } else {
        step(vertx, end, everyMillis, within, what, condition, p);
      }
    });
  }
}
