package io.hostmesh.chrony;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Runs asynchronous jobs one at a time, in submission order: what chrony-helper's
 * {@code flock -w 20 /run/chrony-helper/lock} gives the original scripts. A failed job does
 * not stop the ones after it.
 *
 * <p>Threading: submit from one context (the unit's).
 */
final class SerialQueue {
  private Future<?> tail = Future.succeededFuture();

  /** Runs {@code job} once every earlier job has completed; the result is the job's. */
  <T> Future<T> submit(Supplier<Future<T>> job) {
    Future<T> next = tail.transform(ignored -> {
      try {
        return job.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
    tail = next;
    return next;
  }
}
