package io.hostmesh.mesh;

import io.hostmesh.bus.Bus;
import io.hostmesh.platform.Platform;
import io.hostmesh.schema.unit.LogLevel;
import io.hostmesh.unit.UnitContext;
import io.hostmesh.unit.UnitLog;
import io.vertx.core.json.JsonObject;

/**
 * The context handed to one started instance of a unit. Reports from an instance that has
 * since been replaced (an older generation) are ignored by the supervisor.
 */
final class MeshUnitContext implements UnitContext, UnitLog {
  private final Supervisor supervisor;
  private final UnitRecord record;
  private final int generation;

  MeshUnitContext(Supervisor supervisor, UnitRecord record, int generation) {
    this.supervisor = supervisor;
    this.record = record;
    this.generation = generation;
  }

  @Override
  public String name() {
    return record.name();
  }

  @Override
  public Bus bus() {
    return supervisor.bus();
  }

  @Override
  public Platform platform() {
    return supervisor.platform();
  }

  @Override
  public UnitLog log() {
    return this;
  }

  @Override
  public JsonObject settings() {
    return supervisor.settings(record);
  }

  @Override
  public void fail(String reason) {
    supervisor.reportFailure(record, generation, reason);
  }

  @Override
  public void status(String detail) {
    supervisor.status(record, generation, detail);
  }

  @Override
  public void watchdogPing() {
    if (generation == record.generation) {
      record.lastPing = supervisor.platform().scheduler().uptimeMillis();
    }
  }

  @Override
  public void info(String message) {
    supervisor.log(record, LogLevel.INFO, message);
  }

  @Override
  public void warn(String message) {
    supervisor.log(record, LogLevel.WARN, message);
  }

  @Override
  public void error(String message) {
    supervisor.log(record, LogLevel.ERROR, message);
  }
}
