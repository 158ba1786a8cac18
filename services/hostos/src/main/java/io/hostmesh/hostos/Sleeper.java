package io.hostmesh.hostos;

import io.hostmesh.bus.Subscription;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.Shutdown;
import io.hostmesh.unit.UnitContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;

/**
 * The {@code sleep} of a long oneshot script, on the unit's scheduler (virtual time in tests),
 * cut short by a shutdown as systemd's SIGTERM cuts a script: a pending or later sleep fails
 * once {@link HostOsTopics#SHUTDOWN} is published, so the unit's start ends and the reboot is not
 * held by the mesh's stop grace. A unit that asked for the reboot itself calls
 * {@link #ownShutdown()} first and sleeps on.
 *
 * <p>Threading: use on the unit's event loop.
 */
public final class Sleeper {
  private final UnitContext unit;
  private final Subscription shutdown;
  private Promise<Void> pending;
  private Timer timer;
  private Shutdown down;
  private boolean own;

  public Sleeper(UnitContext unit) {
    this.unit = unit;
    this.shutdown = unit.bus().subscribe(HostOsTopics.SHUTDOWN, this::onShutdown);
  }

  /** Completes once shutdowns are heard. */
  public Future<Void> ready() {
    return shutdown.completion();
  }

  /** Completes after {@code d}; fails when the device shuts down first (or already is). */
  public Future<Void> sleep(Duration d) {
    if (down != null && !own) {
      return Future.failedFuture("stopped by " + describe(down));
    }
    Promise<Void> p = Promise.promise();
    pending = p;
    timer = unit.scheduler().schedule(d, () -> {
      if (pending == p) {
        pending = null;
        timer = null;
      }
      p.tryComplete();
    });
    return p.future();
  }

  /** The reboot to come is this unit's own: its sleeps run to their end. */
  public void ownShutdown() {
    own = true;
  }

  /** Cancels a pending sleep and stops listening (the unit stops). */
  public Future<Void> close() {
    if (timer != null) {
      timer.cancel();
    }
    if (pending != null) {
      pending.tryFail("unit stopped");
    }
    pending = null;
    timer = null;
    return shutdown.cancel();
  }

  private void onShutdown(Shutdown s) {
    down = s;
    if (own || pending == null) {
      return;
    }
    timer.cancel();
    Promise<Void> p = pending;
    pending = null;
    timer = null;
    // what systemd logs as "Main process exited, code=killed, status=15/TERM"
    unit.log().warn("Stopped while waiting: " + describe(s));
    p.tryFail("stopped by " + describe(s));
  }

  private static String describe(Shutdown s) {
    return (s.reboot() ? "reboot" : "power-off") + " (" + s.reason() + ")";
  }
}
