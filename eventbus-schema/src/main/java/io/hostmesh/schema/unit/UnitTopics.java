package io.hostmesh.schema.unit;

import io.hostmesh.bus.Topic;

/** Topics about units themselves. */
public final class UnitTopics {
  /** Every state change of every unit. */
  public static final Topic<UnitStateChanged> STATE_CHANGES =
      Topic.event("unit.state-changes", UnitStateChanged.class);
  /** Every log line of every unit. */
  public static final Topic<LogLine> LOG = Topic.event("unit.log", LogLine.class);

  /** The latched state of one unit: wait on another unit by name. */
  public static Topic<UnitStateChanged> state(String unit) {
    return Topic.state("unit.state." + unit, UnitStateChanged.class);
  }

  private UnitTopics() {}
}
