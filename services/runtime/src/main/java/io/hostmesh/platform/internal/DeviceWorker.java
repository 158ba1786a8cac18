package io.hostmesh.platform.internal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * Blocking work of one device (file writes with fsync, clock and RTC writes, commands that set
 * them) run on Vert.x worker threads, one task at a time in submission order, so an event loop
 * never waits for the disk or a command and the device's writes keep their order. Devices do not
 * wait for each other: each has its own queue over the shared worker pool.
 *
 * <p>Threading: {@link #submit} may be called from any thread; the returned future completes on
 * the caller's context (or on a worker when the caller has none).
 */
public final class DeviceWorker {
  private final Vertx vertx;
  private final Object lock = new Object();
  private Future<?> tail = Future.succeededFuture();
  private volatile boolean cut;

  public DeviceWorker(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * A power cut: every task not yet running (queued or submitted later) fails without running,
   * so the disk keeps what the tasks already done wrote; the one running finishes (each write is
   * an atomic rename: the file is old or new, never partial).
   */
  public void cut() {
    cut = true;
  }

  public boolean isCut() {
    return cut;
  }

  /** Completes once every task submitted before this call has run (or failed or been cut). */
  public Future<Void> idle() {
    synchronized (lock) {
      return tail.transform(ar -> Future.<Void>succeededFuture());
    }
  }

  /** Runs {@code task} after every task submitted before it. */
  public <T> Future<T> submit(Callable<T> task) {
    Context caller = Vertx.currentContext();
    Callable<T> guarded = () -> {
      if (cut) {
        throw new java.io.IOException("power cut: the write was not done");
      }
      return task.call();
    };
    Promise<T> result = Promise.promise();
    Promise<Void> done = Promise.promise();
    Future<?> previous;
    synchronized (lock) {
      previous = tail;
      tail = done.future();
    }
    previous.onComplete(x -> vertx.<T>executeBlocking(guarded, false).onComplete(ar -> {
      done.complete();
      if (caller != null) {
        caller.runOnContext(v -> result.handle(ar));
      } else {
        result.handle(ar);
      }
    }));
    return result.future();
  }
}
