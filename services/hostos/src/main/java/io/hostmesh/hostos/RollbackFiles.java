package io.hostmesh.hostos;

import java.util.List;

/** The rollback framework's files in {@code /mnt/state} (spec/rollbacks.md). */
public final class RollbackFiles {
  public static final String STATE = "/mnt/state";
  /** Touched by the update hooks: rollback-health runs while it exists. */
  public static final String HEALTH_BREADCRUMB = STATE + "/rollback-health-breadcrumb";
  /** Touched by the update hooks: rollback-altboot runs while it exists. */
  public static final String ALTBOOT_BREADCRUMB = STATE + "/rollback-altboot-breadcrumb";
  /** rollback-health rolled back to the old OS. */
  public static final String HEALTH_TRIGGERED = STATE + "/rollback-health-triggered";
  /** rollback-altboot found the bootloader had fallen back, and made that permanent. */
  public static final String ALTBOOT_TRIGGERED = STATE + "/rollback-altboot-triggered";
  /** rollback-health wanted to roll back but the old OS's hooks failed. */
  public static final String HEALTH_FAILED = STATE + "/rollback-health-failed";
  /** {@code BALENAOS_ROLLBACK_VPNONLINE=0|1}: whether the VPN was up before the update. */
  public static final String HEALTH_VARIABLES = STATE + "/rollback-health-variables";
  /** The VPN's "connected" flag (openvpn's up script); hostapp-update and rollback-tests look at it. */
  public static final String VPN_ACTIVE = "/run/openvpn/vpn_status/active";
  /** The last update and its outcome (hostmesh's own record, not balenaOS's). */
  public static final String LAST_HUP = "/var/lib/hostmesh/last-hup.json";

  /** Every rollback file, in the order {@code GET /v1/os} lists those present. */
  public static final List<String> ALL = List.of(HEALTH_BREADCRUMB, ALTBOOT_BREADCRUMB, HEALTH_TRIGGERED,
      ALTBOOT_TRIGGERED, HEALTH_FAILED, HEALTH_VARIABLES);

  private RollbackFiles() {}

  /** The file name of a state path ({@code rollback-health-breadcrumb}). */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
