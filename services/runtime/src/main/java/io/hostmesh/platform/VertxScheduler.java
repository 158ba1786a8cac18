package io.hostmesh.platform;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;

/** Real time over Vert.x timers; a task runs on the context that scheduled it. */
public final class VertxScheduler implements Scheduler {
  private final Vertx vertx;
  private final long startNanos = System.nanoTime();

  public VertxScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public long uptimeMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Override
  public long hostMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    Context ctx = vertx.getOrCreateContext();
    long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> run(ctx, task));
    return () -> vertx.cancelTimer(id);
  }

  @Override
  public Timer periodic(Duration period, Runnable task) {
    Context ctx = vertx.getOrCreateContext();
    long id = vertx.setPeriodic(Math.max(1, period.toMillis()), t -> run(ctx, task));
    return () -> vertx.cancelTimer(id);
  }

  private static void run(Context ctx, Runnable task) {
    if (Vertx.currentContext() == ctx) {
      task.run();
    } else {
      ctx.runOnContext(v -> task.run());
    }
  }
}
