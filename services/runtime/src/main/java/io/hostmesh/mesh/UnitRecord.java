package io.hostmesh.mesh;

import io.hostmesh.platform.Timer;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/** The supervisor's book-keeping for one unit. Touched only on the mesh context. */
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
  String deploymentId;
  final Deque<Long> startTimes = new ArrayDeque<>();
  Timer restartTimer;
  Timer watchdogTimer;
  volatile long lastPing;
  /** Bumped on every start, so a late failure report of an old instance is ignored. */
  int generation;

  UnitRecord(UnitDescriptor descriptor, Supplier<? extends UnitVerticle> factory) {
    this.descriptor = descriptor;
    this.factory = factory;
  }

  String name() {
    return descriptor.name();
  }
}
