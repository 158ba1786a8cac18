package io.hostmesh.platform;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Timers for units. Units never call {@code vertx.setTimer}: in tests (and the fleet profile)
 * a {@link VirtualScheduler} replaces real time, so a 64 s back-off takes no real time.
 *
 * <p>One time policy: durations a unit reasons about (back-offs, intervals, restart delays, the
 * spec's timeouts) use this scheduler's time; waits on something real outside the JVM (a daemon
 * answering on its socket, the config watcher seeing a file, a round trip to a server) use
 * {@link #realTime()}, which is real even when this scheduler is virtual. A unit never mixes in
 * {@code System.nanoTime}.
 *
 * <p>Threading: every method may be called from any thread; a task runs on the Vert.x context
 * that scheduled it (a worker or event loop), so it may touch that context's state without locks.
 */
public interface Scheduler {
  /** Milliseconds since the scheduler started (monotonic; virtual under virtual time). */
  long uptimeMillis();

  /** The host's wall-clock milliseconds (virtual under virtual time). Never the device clock. */
  long hostMillis();

  Timer schedule(Duration delay, Runnable task);

  Timer periodic(Duration period, Runnable task);

  /**
   * The real-time channel: this scheduler when it runs in real time, else a real-time one over
   * the same Vert.x. For waits on real processes and sockets only.
   */
  default Scheduler realTime() {
    return this;
  }

  /** A future completed after {@code delay}. */
  default Future<Void> sleep(Duration delay) {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    schedule(delay, p::complete);
    return p.future();
  }
}
