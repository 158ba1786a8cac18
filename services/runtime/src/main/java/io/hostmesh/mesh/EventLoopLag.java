package io.hostmesh.mesh;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How late the event loops of a Vert.x instance run a timer: one small verticle per event loop
 * arms a timer every {@code period} and reports, when it fires, how much later than due it ran.
 * A loop busy with a long handler (or a blocking call) delays every timer on it, so this lag is
 * what every unit on that loop waits on top of its own work. Listeners get each sample (on the
 * loop's thread); the API exports them as {@code hostmesh_event_loop_lag_seconds}.
 *
 * <p>One verticle instance per loop: Vert.x gives each instance of a deployment the next event
 * loop in turn, so {@code loops} instances cover {@code loops} loops (public API only;
 * {@link #threads()} says which loops were really reached).
 *
 * <p>Threading: start and stop from any thread; listeners run on the probed loops.
 */
public final class EventLoopLag {
  /** Receives one sample: the loop's index in this probe and how late its timer fired. */
  @FunctionalInterface
  public interface Listener {
    void lag(int loop, long lateNanos);
  }

  private final Vertx vertx;
  private final long periodNanos;
  private final int loops;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> threads = ConcurrentHashMap.newKeySet();
  private String deployment;

  private EventLoopLag(Vertx vertx, int loops, Duration period) {
    this.vertx = vertx;
    this.loops = Math.max(1, loops);
    this.periodNanos = Math.max(1, period.toMillis()) * 1_000_000L;
  }

  /** Starts probing {@code loops} event loops every {@code period} (at least 1 ms). */
  public static Future<EventLoopLag> start(Vertx vertx, int loops, Duration period) {
    EventLoopLag lag = new EventLoopLag(vertx, loops, period);
    int[] next = {0};
    return vertx.deployVerticle(() -> lag.new Probe(next[0]++), new DeploymentOptions().setInstances(lag.loops))
        .map(id -> {
          lag.deployment = id;
          return lag;
        });
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  public void removeListener(Listener l) {
    listeners.remove(l);
  }

  /** The names of the event-loop threads probed (fewer than asked when Vert.x gave two instances one loop). */
  public Set<String> threads() {
    return Set.copyOf(threads);
  }

  /** How many loops are probed; a listener's {@code loop} is below this. */
  public int loops() {
    return loops;
  }

  public Duration period() {
    return Duration.ofNanos(periodNanos);
  }

  /** Stops every probe timer. */
  public Future<Void> stop() {
    String id = deployment;
    deployment = null;
    return id == null ? Future.succeededFuture() : vertx.undeploy(id);
  }

  /** The timer of one loop: re-armed after each firing, so a late firing is measured once, not caught up. */
  private final class Probe extends VerticleBase {
    private final int loop;
    private long due;
    private long timer = -1;

    Probe(int loop) {
      this.loop = loop;
    }

    @Override
    public Future<?> start() {
      threads.add(Thread.currentThread().getName());
      arm();
      return Future.succeededFuture();
    }

    private void arm() {
      due = System.nanoTime() + periodNanos;
      timer = vertx.setTimer(periodNanos / 1_000_000L, id -> {
        long late = Math.max(0, System.nanoTime() - due);
        for (Listener l : listeners) {
          l.lag(loop, late);
        }
        arm();
      });
    }

    @Override
    public Future<?> stop() {
      vertx.cancelTimer(timer);
      return Future.succeededFuture();
    }
  }
}
