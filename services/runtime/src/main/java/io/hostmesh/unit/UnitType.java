package io.hostmesh.unit;

/** How a unit's start is read, after systemd's {@code Type=}. */
public enum UnitType {
  /** {@code Type=oneshot} + {@code RemainAfterExit=yes}: start completes when the work is done → exited. */
  ONESHOT,
  /** A long-running service: start completes when it is up → active, until it stops or fails. */
  SERVICE
}
