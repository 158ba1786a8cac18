package io.hostmesh.mesh;

import io.hostmesh.platform.Timer;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.unit.Requirement;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
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
  /** What other threads see; replaced (never mutated) on the mesh context. */
  volatile UnitStatus status;

  UnitRecord(UnitDescriptor descriptor, Supplier<? extends UnitVerticle> factory) {
    this.descriptor = descriptor;
    this.factory = factory;
    this.status = snapshot();
  }

  /** An immutable view of the current fields. */
  UnitStatus snapshot() {
    UnitDescriptor d = descriptor;
    return new UnitStatus(d.name(), d.description(), d.type().name().toLowerCase(), state, detail,
        sinceMillis, activatingMillis, settledMillis, restarts, result,
        d.requires().stream().map(Requirement::label).toList(), d.after(),
        d.provides().stream().map(t -> t.address().replaceFirst("^target\\.", "")).toList());
  }

  String name() {
    return descriptor.name();
  }
}
