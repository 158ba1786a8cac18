package io.hostmesh.deploy.notify;

import io.hostmesh.spi.RunHook;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshHealth;
import io.hostmesh.schema.targets.Targets;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * systemd's Type=notify protocol for {@code hostmesh run} (deploy/systemd/hostmesh.service):
 * {@code READY=1} once time-set.target is latched, {@code WATCHDOG=1} every half
 * {@code $WATCHDOG_USEC} while {@link MeshHealth healthy}, {@code STATUS=} with the unit summary
 * on every state change, {@code STOPPING=1} on shutdown. Does nothing without
 * {@code $NOTIFY_SOCKET} (not started by systemd).
 *
 * <p>Threading: timers and status updates run on a Vert.x event loop. Failure: a socket that
 * cannot be opened is reported by the returned future (the mesh runs on; systemd will then
 * time the start out, which is what it should do).
 */
public final class SdNotifyHook implements RunHook {
  private final Map<String, String> env;
  private final AtomicLong pings = new AtomicLong();
  private final AtomicLong withheld = new AtomicLong();
  private final AtomicBoolean statusPending = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile NotifySocket socket;
  private volatile long timer = -1;
  private volatile Optional<String> lastVerdict = Optional.empty();

  /** Reads the process environment (used by ServiceLoader). */
  public SdNotifyHook() {
    this(System.getenv());
  }

  /** Reads {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} from {@code env} (tests). */
  public SdNotifyHook(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public Future<Void> started(Mesh mesh) {
    String address = env.get("NOTIFY_SOCKET");
    if (address == null) {
      return Future.succeededFuture();
    }
    JsonObject settings = mesh.settings().json().getJsonObject("watchdog", new JsonObject());
    MeshHealth health = new MeshHealth(Duration.ofMillis(settings.getLong("grace-ms", MeshHealth.DEFAULT_GRACE.toMillis())));
    Optional<Duration> interval = watchdogInterval(env);
    return NotifySocket.open(address).map(s -> {
      socket = s;
      mesh.onStateChange(c -> scheduleStatus(mesh));
      scheduleStatus(mesh);
      // sd_notify(3) READY=1: the device has a plausible clock; boot-order.md time-set.target
      mesh.bus().await(Targets.TIME_SET, t -> true)
          .onSuccess(t -> notify("READY=1\nSTATUS=" + MeshHealth.summary(mesh.units())));
      interval.ifPresent(i -> {
        // sd_watchdog_enabled(3): "send a keep-alive ping at half the interval"
        long half = Math.max(1, i.toMillis() / 2);
        timer = mesh.vertx().setPeriodic(half, id -> tick(mesh, health));
        tick(mesh, health);
      });
      return null;
    });
  }

  @Override
  public Future<Void> stopping(Mesh mesh) {
    NotifySocket s = socket;
    if (s == null || !closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    if (timer >= 0) {
      mesh.vertx().cancelTimer(timer);
    }
    return s.send("STOPPING=1\nSTATUS=stopping").otherwiseEmpty().onComplete(x -> s.close()).mapEmpty();
  }

  /** Sends a raw notification; fails when the hook is not connected. For tests and status lines. */
  public Future<Void> notify(String state) {
    NotifySocket s = socket;
    if (s == null) {
      return Future.failedFuture(new IllegalStateException("not connected to NOTIFY_SOCKET"));
    }
    return s.send(state);
  }

  /** Watchdog pings sent so far. */
  public long pings() {
    return pings.get();
  }

  /** Watchdog ticks on which the ping was withheld because the mesh was unhealthy. */
  public long withheld() {
    return withheld.get();
  }

  /** The watchdog interval systemd asked for, if it asked this process. */
  static Optional<Duration> watchdogInterval(Map<String, String> env) {
    String usec = env.get("WATCHDOG_USEC");
    String pid = env.get("WATCHDOG_PID");
    if (usec == null || usec.isBlank()) {
      return Optional.empty();
    }
    // sd_watchdog_enabled(3): WATCHDOG_PID names the process meant; another one must not ping
    if (pid != null && !pid.isBlank() && !pid.trim().equals(Long.toString(ProcessHandle.current().pid()))) {
      return Optional.empty();
    }
    try {
      long us = Long.parseLong(usec.trim());
      return us > 0 ? Optional.of(Duration.ofNanos(us * 1000)) : Optional.empty();
    } catch (NumberFormatException e) {
      System.err.println((env.containsKey("JOURNAL_STREAM") ? "<4>" : "") + "hostmesh: ignoring WATCHDOG_USEC '" + usec
          + "': not a number");
      return Optional.empty();
    }
  }

  private void tick(Mesh mesh, MeshHealth health) {
    if (closed.get()) {
      return;
    }
    Optional<String> verdict = health.verdict(mesh.units(), mesh.platform().scheduler().uptimeMillis());
    if (verdict.isEmpty()) {
      pings.incrementAndGet();
      notify("WATCHDOG=1");
      if (lastVerdict.isPresent()) {
        notify("STATUS=healthy again; " + MeshHealth.summary(mesh.units()));
      }
    } else {
      withheld.incrementAndGet();
      if (!verdict.equals(lastVerdict)) {
        notify("STATUS=unhealthy, watchdog pings withheld: " + verdict.get());
        // a warning in the journal (sd-daemon(3) level prefix), like the units' [WARN] lines
        System.err.println((env.containsKey("JOURNAL_STREAM") ? "<4>" : "") + "hostmesh: unhealthy, watchdog pings withheld: "
            + verdict.get());
      }
    }
    lastVerdict = verdict;
  }

  private void scheduleStatus(Mesh mesh) {
    // a burst of state changes (a boot) becomes one STATUS= datagram
    if (statusPending.compareAndSet(false, true)) {
      mesh.vertx().runOnContext(v -> {
        statusPending.set(false);
        if (!closed.get() && lastVerdict.isEmpty()) {
          notify("STATUS=" + MeshHealth.summary(mesh.units()));
        }
      });
    }
  }
}
