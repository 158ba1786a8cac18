package io.hostmesh.schema.unit;

/** Log levels with their syslog priority, as os-helpers-logging (spec/units.md §0). */
public enum LogLevel {
  ERROR(3),
  WARN(4),
  INFO(6);

  private final int priority;

  LogLevel(int priority) {
    this.priority = priority;
  }

  public int priority() {
    return priority;
  }
}
