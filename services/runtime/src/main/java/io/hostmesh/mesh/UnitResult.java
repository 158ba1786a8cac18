package io.hostmesh.mesh;

/**
 * Why a unit last failed, as systemd's {@code Result=} property: decides whether the restart
 * policy applies and whether the mesh has given up on the unit.
 */
public enum UnitResult {
  /** It never failed, or it has run again since. */
  SUCCESS("success"),
  /** Its start or its work failed, or it reported a failure. */
  EXIT_CODE("exit-code"),
  /** Its watchdog was not fed in time. */
  WATCHDOG("watchdog"),
  /** Started too often within the start-limit interval: no more restarts. */
  START_LIMIT_HIT("start-limit-hit");

  private final String label;

  UnitResult(String label) {
    this.label = label;
  }

  /** systemd's spelling ({@code start-limit-hit}). */
  public String label() {
    return label;
  }
}
