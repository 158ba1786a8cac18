package io.hostmesh.unit;

import io.hostmesh.bus.Bus;
import io.hostmesh.platform.HostFiles;
import io.hostmesh.platform.Platform;
import io.hostmesh.platform.Processes;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.Rtc;
import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.SystemClock;
import io.vertx.core.json.JsonObject;

/**
 * What the mesh hands a unit: the typed bus, the host platform, its log and settings. A unit
 * reaches the outside world only through these.
 */
public interface UnitContext {
  String name();

  Bus bus();

  Platform platform();

  UnitLog log();

  /**
   * This unit's settings: the {@code units.<name>} object of the mesh settings file
   * ({@code /etc/hostmesh/hostmesh.json} under the root); empty when none.
   */
  JsonObject settings();

  /**
   * Reports that a running (service) unit has failed: the mesh stops it, marks it
   * {@code failed} and applies its restart policy. Safe from any thread.
   */
  void fail(String reason);

  /**
   * Sets the detail shown beside the unit's state in {@code hostmesh status} and
   * {@code /v1/units} (e.g. "config.json refused: /dnsServers: ..."), without changing the
   * state; empty clears it. Safe from any thread.
   */
  void status(String detail);

  /** Feeds the unit's watchdog; without a ping within the interval the unit is failed. */
  void watchdogPing();

  default Profile profile() {
    return platform().profile();
  }

  default HostFiles files() {
    return platform().files();
  }

  default SystemClock clock() {
    return platform().clock();
  }

  default Rtc rtc() {
    return platform().rtc();
  }

  default Processes processes() {
    return platform().processes();
  }

  default Scheduler scheduler() {
    return platform().scheduler();
  }
}
