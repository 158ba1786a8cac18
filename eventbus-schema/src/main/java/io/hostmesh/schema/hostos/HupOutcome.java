package io.hostmesh.schema.hostos;

/** Where a host OS update stands. */
public enum HupOutcome {
  /** Written and rebooted into; the rollback units have not decided yet. */
  IN_PROGRESS,
  /** The health checks passed: rollbacks stopped, the new OS stays. */
  COMMITTED,
  /** The health checks failed {@code COUNT} times: back to the old slot ({@code rollback-health-triggered}). */
  ROLLED_BACK_HEALTH,
  /** The new OS never reached userspace and the bootloader fell back ({@code rollback-altboot-triggered}). */
  ROLLED_BACK_ALTBOOT,
  /** The health checks failed and the old OS's hooks failed too ({@code rollback-health-failed}). */
  ROLLBACK_FAILED
}
