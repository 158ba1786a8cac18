package io.hostmesh.mesh;

import io.hostmesh.platform.Timer;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.unit.Requirement;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * The supervisor's book-keeping for one unit. Its fields are touched only on the mesh context;
 * other threads read {@link #status}, an immutable snapshot replaced on every change.
 */
final class UnitRecord {
  final UnitDescriptor descriptor;
  final Supplier<? extends UnitVerticle> factory;
  UnitState state = UnitState.INACTIVE;
  String detail = "";
  /** A detail set while the unit was starting, shown once it is up. */
  String pendingDetail = "";
  long sinceMillis;
  /** The device time of the last state change; null before the first. */
  Instant sinceWall;
  long activatingMillis = -1;
  long settledMillis = -1;
  int restarts;
  UnitResult result = UnitResult.SUCCESS;
  String deploymentId;
  final Deque<Long> startTimes = new ArrayDeque<>();
  Timer restartTimer;
  Timer watchdogTimer;
  volatile long lastPing;
  /** Bumped on every start, so a late failure report of an old instance is ignored. */
  int generation;
  /** The deployment of the current generation until it has landed (or been undeployed); else null. */
  Future<Void> landing;
  /** Why the next activation happens, shown as its detail ("restarted by request"); consumed by it. */
  String startReason = "";
  /**
   * Stopped by {@code reset-failed} and left down until restarted by request, as systemd leaves a
   * reset unit inactive: the mesh does not start it again, and it holds nobody up.
   */
  volatile boolean held;
  /** What other threads see; replaced (never mutated) on the mesh context. */
  volatile UnitStatus status;

  UnitRecord(UnitDescriptor descriptor, Supplier<? extends UnitVerticle> factory, boolean enabled) {
    this.descriptor = descriptor;
    this.factory = factory;
    if (!enabled) {
      state = UnitState.DISABLED;
      detail = "units." + descriptor.name() + ".enabled is false";
    }
    this.status = snapshot();
  }

  /** Done as far as those waiting on it are concerned: settled, disabled, or held down after reset-failed. */
  boolean settled() {
    return state.settled() || held;
  }

  /** An immutable view of the current fields. */
  UnitStatus snapshot() {
    UnitDescriptor d = descriptor;
    return new UnitStatus(d.name(), d.description(), d.type().name().toLowerCase(), state, detail,
        sinceMillis, activatingMillis, settledMillis, restarts, result,
        d.requires().stream().map(Requirement::label).toList(), d.after(),
        d.provides().stream().map(t -> t.address().replaceFirst("^target\\.", "")).toList(), sinceWall);
  }

  String name() {
    return descriptor.name();
  }
}
