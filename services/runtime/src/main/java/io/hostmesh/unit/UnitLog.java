package io.hostmesh.unit;

/**
 * A unit's log, as os-helpers-logging: {@code [unit][LEVEL] message} on standard error, and a
 * {@code LogLine} on the bus so tests and the API see the same messages as the original.
 */
public interface UnitLog {
  void info(String message);

  void warn(String message);

  void error(String message);
}
