package io.hostmesh.mesh;

/** A request about a unit ({@link Mesh#restart}, {@link Mesh#resetFailed}) that the mesh refused, and why. */
public final class UnitRequestRefused extends RuntimeException {
  /** Why a request was refused. */
  public enum Reason {
    /** No unit has that name (systemctl: "Unit ... not found"). */
    NO_SUCH_UNIT,
    /** The unit is turned off in the settings ({@code units.<name>.enabled: false}). */
    DISABLED,
    /** The mesh is stopping. */
    STOPPING
  }

  private final Reason reason;

  public UnitRequestRefused(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
