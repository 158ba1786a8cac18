package io.hostmesh.fleet;

import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.Timer;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.ExecutorServiceFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The discrete-event loop of one partition: its own Vert.x with ONE event loop, on which every
 * device of the partition runs (each unit's context, each mesh's, all on that one thread), and one
 * virtual clock that jumps to the next due task.
 *
 * <p>Determinism: the clock moves only when the partition is quiescent, i.e. the event loop has no
 * queued task. The driver ({@link #step}) is itself a task on the loop: it looks at Netty's queue of
 * pending tasks, and while anything is queued it puts itself behind it again; only when it runs with
 * nothing queued does it take the next timed task, set the clock to its due time and queue the task's
 * body, then itself behind the body. Vert.x's worker pools (executeBlocking: config-watcher's read,
 * the mesh's platform close) run on the same loop through an {@link ExecutorServiceFactory}, so no
 * other thread does work that could land at a different point in time; ties at one instant run in
 * the order they were scheduled.
 *
 * <p>Threading: everything here runs on the partition's event loop, except {@link #create},
 * {@link #run} and {@link #close}.
 */
final class PartitionLoop {
  private final Vertx vertx;
  private final ContextInternal context;
  private final SingleThreadEventExecutor loop;
  /** Tasks the driver runs in one go while their bodies leave nothing queued. */
  private static final int BATCH = 256;

  private final TaskHeap<Task> queue = new TaskHeap<>();
  private final long epochMillis;
  private long now;
  private long seq;
  private long end;
  private long tasksRun;
  private Promise<Void> finished;
  private java.util.function.BooleanSupplier stopWhen = () -> false;
  private LongConsumer progress = t -> { };
  private long nextProgress;

  private PartitionLoop(Vertx vertx, long epochMillis) {
    this.vertx = vertx;
    this.epochMillis = epochMillis;
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.loop = (SingleThreadEventExecutor) context.nettyEventLoop();
  }

  /** A new Vert.x for one partition; {@code epochMillis} is the true time at virtual 0. */
  static PartitionLoop create(long epochMillis) {
    LoopExecutors executors = new LoopExecutors();
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1).setBlockedThreadCheckInterval(60_000).setMaxEventLoopExecuteTime(60)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS);
    options.getFileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false);
    Vertx vertx = VertxBootstrap.create().options(options).executorServiceFactory(executors).init().vertx();
    PartitionLoop p = new PartitionLoop(vertx, epochMillis);
    executors.target = p.loop;
    return p;
  }

  Vertx vertx() {
    return vertx;
  }

  /** The partition's one context (the devices' meshes are built on it). */
  Context context() {
    return context;
  }

  /** Virtual milliseconds since the start of the run. */
  long now() {
    return now;
  }

  /** True time now (epoch milliseconds). */
  long trueMillis() {
    return epochMillis + now;
  }

  long tasksRun() {
    return tasksRun;
  }

  /** Called on the loop at most once per virtual minute with the virtual time reached. */
  void onProgress(LongConsumer progress) {
    this.progress = progress;
  }

  /** A task at virtual time {@code at} (ms since the start) on the partition's context. */
  Timer at(long at, Runnable body) {
    return add(new Task(Math.max(at, now), 0, context, body));
  }

  private Task add(Task t) {
    queue.add(t, t.due, t.seq);
    return t;
  }

  /**
   * Runs the loop on its own thread until virtual time {@code endMillis}, or until {@code stopWhen}
   * holds at a quiescent moment; completes there.
   */
  Future<Void> run(long endMillis, java.util.function.BooleanSupplier stopWhen) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      this.end = endMillis;
      this.finished = p;
      this.stopWhen = stopWhen;
      step();
    });
    return p.future();
  }

  /**
   * The driver. At a quiescent moment it takes the next due task and runs its body at once, on the
   * task's context ({@link ContextInternal#dispatch}), which is what a {@code runOnContext} queued
   * on an empty loop would do, one queue hop sooner. If the body left nothing queued, the next task
   * follows in the same call (up to {@link #BATCH}, so the loop still looks at its I/O and other
   * threads' tasks); else the driver goes behind what the body queued.
   */
  private void step() {
    for (int n = 0; n < BATCH; n++) {
      if (loop.pendingTasks() > 0) {
        loop.execute(this::step); // not quiescent: behind whatever is queued
        return;
      }
      if (stopWhen.getAsBoolean()) {
        finished.complete();
        return;
      }
      Task t = queue.poll();
      while (t != null && t.cancelled) {
        t = queue.poll();
      }
      if (t == null || t.due > end) {
        if (t != null) {
          queue.add(t, t.due, t.seq);
        }
        now = Math.max(now, end);
        finished.complete();
        return;
      }
      now = t.due;
      if (t.period > 0) {
        t.due += t.period;
        t.seq = ++seq;
        queue.add(t, t.due, t.seq);
      } else {
        t.started = true;
      }
      tasksRun++;
      if (now >= nextProgress) {
        nextProgress = now + 60_000;
        progress.accept(now);
      }
      Task task = t;
      task.context.dispatch(v -> {
        if (!task.cancelled) {
          task.body.run();
        }
      });
    }
    loop.execute(this::step);
  }

  /** Closes the partition's Vert.x (after the devices have stopped). */
  Future<Void> close() {
    queue.clear();
    return vertx.close();
  }

  /** A device's view of the partition's clock: uptime counts from its boot. */
  Scheduler scheduler(long bootMillis) {
    return new DeviceScheduler(bootMillis);
  }

  private final class DeviceScheduler implements Scheduler {
    private final long boot;

    DeviceScheduler(long boot) {
      this.boot = boot;
    }

    @Override
    public long uptimeMillis() {
      return now - boot;
    }

    @Override
    public long hostMillis() {
      return epochMillis + now;
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

    /** Nothing real outside: what a unit waits for in real time (a daemon, a server) is a model on virtual time. */
    @Override
    public Scheduler realTime() {
      return this;
    }
  }

  private final class Task implements Comparable<Task>, Timer {
    long due;
    long seq = ++PartitionLoop.this.seq;
    final long period;
    final ContextInternal context;
    final Runnable body;
    boolean cancelled;
    boolean started;

    Task(long due, long period, Context context, Runnable body) {
      this.due = due;
      this.period = period;
      this.context = (ContextInternal) context;
      this.body = body;
    }

    @Override
    public int compareTo(Task o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
    }

    @Override
    public boolean cancel() {
      if (cancelled || started) {
        return false;
      }
      cancelled = true; // left in the queue, skipped when due: removal from a heap is O(n)
      return true;
    }
  }

  /** Vert.x's worker pools, run as tasks of the partition's event loop (see the class comment). */
  private static final class LoopExecutors implements ExecutorServiceFactory {
    volatile Executor target;

    @Override
    public ExecutorService createExecutor(java.util.concurrent.ThreadFactory threadFactory, Integer concurrency,
        Integer maxConcurrency) {
      return new AbstractExecutorService() {
        private volatile boolean shut;

        @Override
        public void execute(Runnable command) {
          Executor t = target;
          if (t == null) {
            throw new java.util.concurrent.RejectedExecutionException("the partition's loop is not up yet");
          }
          t.execute(command);
        }

        @Override
        public void shutdown() {
          shut = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
          shut = true;
          return List.of();
        }

        @Override
        public boolean isShutdown() {
          return shut;
        }

        @Override
        public boolean isTerminated() {
          return shut;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
          return true;
        }
      };
    }
  }
}
