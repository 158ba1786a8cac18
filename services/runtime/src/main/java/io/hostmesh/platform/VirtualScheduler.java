package io.hostmesh.platform;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual time, after reactor-test's {@code VirtualTimeScheduler}: a queue of timed tasks that
 * run only when a test (or the fleet profile) advances the clock. While a task runs,
 * {@link #uptimeMillis()} equals its due time. Each task runs on the Vert.x context that
 * scheduled it; {@link #advanceBy} completes once every task due in the window has run.
 */
public final class VirtualScheduler implements Scheduler {
  private final Vertx vertx;
  private final long hostStartMillis;
  private final Scheduler realTime;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final AtomicLong order = new AtomicLong();
  private volatile long now;

  private final class Task implements Comparable<Task>, Timer {
    long due;
    long seq = order.incrementAndGet();
    final long period;
    final Context context;
    final Runnable body;
    volatile boolean cancelled;
    /** A one-shot task that has started: cancel() no longer stops anything. Guarded by this. */
    boolean started;

    Task(long due, long period, Context context, Runnable body) {
      this.due = due;
      this.period = period;
      this.context = context;
      this.body = body;
    }

    @Override
    public int compareTo(Task o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
    }

    @Override
    public boolean cancel() {
      synchronized (this) {
        if (cancelled || started) {
          return false; // as Timer says: false when it already ran or was cancelled
        }
        cancelled = true;
      }
      synchronized (VirtualScheduler.this) {
        queue.remove(this);
      }
      return true;
    }

    /** Whether the body may run now; a one-shot task counts as run from here on. */
    synchronized boolean start() {
      if (cancelled) {
        return false;
      }
      started = period == 0;
      return true;
    }
  }

  public VirtualScheduler(Vertx vertx) {
    this(vertx, System.currentTimeMillis());
  }

  public VirtualScheduler(Vertx vertx, long hostStartMillis) {
    this.vertx = vertx;
    this.hostStartMillis = hostStartMillis;
    this.realTime = new VertxScheduler(vertx);
  }

  /** Real Vert.x timers, for waits on real processes and sockets (see {@link Scheduler}). */
  @Override
  public Scheduler realTime() {
    return realTime;
  }

  @Override
  public long uptimeMillis() {
    return now;
  }

  @Override
  public long hostMillis() {
    return hostStartMillis + now;
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    return add(new Task(now + Math.max(0, delay.toMillis()), 0, vertx.getOrCreateContext(), task));
  }

  @Override
  public Timer periodic(Duration period, Runnable task) {
    long p = Math.max(1, period.toMillis());
    return add(new Task(now + p, p, vertx.getOrCreateContext(), task));
  }

  private synchronized Task add(Task t) {
    queue.add(t);
    return t;
  }

  /** Number of tasks waiting. */
  public synchronized int pending() {
    return queue.size();
  }

  /**
   * Completes once at least {@code n} tasks are waiting: lets a test wait until a unit has
   * armed its timer before advancing time. Polls every 2 ms of real time; fails after 10 s.
   */
  public Future<Void> awaitPending(int n) {
    return Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(2), "at least " + n + " timers pending",
        () -> pending() >= n).recover(e -> Future.failedFuture(e.getMessage() + "; pending: " + pending()));
  }

  /** Due time (virtual uptime) of the next task, or -1. */
  public synchronized long nextDue() {
    Task t = queue.peek();
    return t == null ? -1 : t.due;
  }

  /**
   * Moves virtual time forward by {@code delta}, running every task that falls due on its own
   * context, one after the other, each seeing {@code uptimeMillis()} equal to its due time.
   * Tasks scheduled by those tasks run too when they fall inside the window.
   */
  public Future<Void> advanceBy(Duration delta) {
    return advanceTo(now + delta.toMillis());
  }

  /** Moves virtual time to the next task's due time and runs it (and any due at the same time). */
  public Future<Void> advanceToNext() {
    long next = nextDue();
    return next < 0 ? Future.succeededFuture() : advanceTo(next);
  }

  private Future<Void> advanceTo(long target) {
    Task t;
    synchronized (this) {
      t = queue.peek();
      if (t == null || t.due > target) {
        now = Math.max(now, target);
        return Future.succeededFuture();
      }
      queue.poll();
      now = Math.max(now, t.due);
      if (t.period > 0 && !t.cancelled) {
        // a periodic task goes back in the queue as the same handle, so cancel() still reaches it
        t.due += t.period;
        t.seq = order.incrementAndGet();
        queue.add(t);
      }
    }
    Promise<Void> ran = Promise.promise();
    Task task = t;
    task.context.runOnContext(v -> {
      try {
        if (task.start()) {
          task.body.run();
        }
      } finally {
        // let what the task started (bus messages, futures) run before the next task
        task.context.runOnContext(w -> ran.complete());
      }
    });
    return ran.future().compose(v -> advanceTo(target));
  }
}
