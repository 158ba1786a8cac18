package io.hostmesh.platform;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Timers for units. Units never call {@code vertx.setTimer}: in tests (and the fleet profile)
 * a {@link VirtualScheduler} replaces real time, so a 64 s back-off takes no real time.
 *
 * <p>A task runs on the Vert.x context that scheduled it.
 */
public interface Scheduler {
  /** Milliseconds since the scheduler started (monotonic; virtual under virtual time). */
  long uptimeMillis();

  /** The host's wall-clock milliseconds (virtual under virtual time). Never the device clock. */
  long hostMillis();

  Timer schedule(Duration delay, Runnable task);

  Timer periodic(Duration period, Runnable task);

  /** A future completed after {@code delay}. */
  default Future<Void> sleep(Duration delay) {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    schedule(delay, p::complete);
    return p.future();
  }
}
