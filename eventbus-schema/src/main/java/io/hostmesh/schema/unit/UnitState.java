package io.hostmesh.schema.unit;

/** The life cycle of a unit, after systemd's active states. */
public enum UnitState {
  /** Loaded, not started. */
  INACTIVE,
  /** Waiting for its requirements (the detail names them). */
  WAITING,
  /** Starting; a oneshot unit stays here while it works. */
  ACTIVATING,
  /** Running (a long-lived unit). */
  ACTIVE,
  /** A oneshot unit that finished successfully (systemd's active (exited)). */
  EXITED,
  /** Failed; may be restarted by its policy. */
  FAILED,
  /** A condition was false; counts as done for those that wait on it. */
  SKIPPED,
  /** Stopping. */
  DEACTIVATING,
  /**
   * Turned off in the settings ({@code units.<name>.enabled: false}): listed, never started;
   * like a skipped unit it counts as done, so the targets it provides do not hold anyone up.
   */
  DISABLED;

  /** True when the unit no longer holds up those ordered after it. */
  public boolean settled() {
    return this == ACTIVE || this == EXITED || this == FAILED || this == SKIPPED || this == DISABLED;
  }

  public String label() {
    return name().toLowerCase();
  }
}
