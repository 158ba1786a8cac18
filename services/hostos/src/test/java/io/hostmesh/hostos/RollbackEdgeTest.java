package io.hostmesh.hostos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.HupOutcome;
import io.hostmesh.schema.hostos.HupRequest;
import io.hostmesh.schema.hostos.OsStatus;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rollback framework's other paths: offline VPN, board checks, old versions, orderly reboots on trial, altboot that never reboots. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class RollbackEdgeTest {
  static final String NEW = HupScenarioTest.NEW;

  private static JsonObject suite() {
    return HupDevice.health(10, 3);
  }

  /** The VPN health check only counts when the VPN was online before the update. */
  @Test
  void aVpnThatWasOfflineBeforeTheUpdateDoesNotRollBack(Vertx vertx) {
    JsonObject settings = suite();
    settings.getJsonObject("units").put("openvpn", new JsonObject().put("connect", false));
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.UBOOT, settings, List.of())) {
      d.start();
      d.hup(NEW, "vpn");
      assertEquals("BALENAOS_ROLLBACK_VPNONLINE=0\n", d.read(RollbackFiles.HEALTH_VARIABLES));
      d.awaitUnit(2, "rollback-health", UnitState.EXITED);
      assertTrue(d.logged("rollback-health", "VPN used to be offline before HUP. Not using VPN healthcheck for rollback"));
      assertEquals(HupOutcome.COMMITTED, d.status(s -> s.lastHup().outcome() == HupOutcome.COMMITTED, "committed")
          .lastHup().outcome());
    }
  }

  /** healthUnits: an application unit that fails on the new OS makes the update roll back. */
  @Test
  void aFailedApplicationUnitRollsTheReleaseBack(Vertx vertx) {
    JsonObject settings = suite();
    settings.getJsonObject("units").getJsonObject("rollback-health").put("healthUnits", new JsonArray().add("app"));
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.UBOOT, settings, List.of(AppUnit::new))) {
      d.start();
      d.hup(AppUnit.BAD_ON, "");
      d.settle(3);
      assertTrue(d.exists(RollbackFiles.HEALTH_TRIGGERED));
      assertTrue(d.logged("rollback-health", "Board specific healthchecks failed! (unit app failed: cannot run on balenaOS 2.89.0)"));
      assertEquals("a", d.status().activeSlot());
      assertEquals(UnitState.EXITED, d.mesh().unit("app").orElseThrow().state(), "the app runs again on the old OS");
    }
  }

  /** A BoardHealthCheck found with ServiceLoader (here from the test class path) decides too. */
  @Test
  void aBoardHealthCheckPluginRollsTheReleaseBack(Vertx vertx) throws Exception {
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.UBOOT, suite(), List.of())) {
      d.start();
      d.write(MarkerBoardCheck.MARKER.substring(1), "");
      d.hup(NEW, "");
      d.settle(3);
      assertTrue(d.exists(RollbackFiles.HEALTH_TRIGGERED));
      assertTrue(d.logged("rollback-health", "marker-board-check: the board is unhealthy"));
      assertEquals(HupOutcome.ROLLED_BACK_HEALTH, d.status().lastHup().outcome());
      assertTrue(d.status().lastHup().detail().contains("marker-board-check"), d.status().lastHup().detail());
    }
  }

  /** rollback-check-version: no rollback to an OS older than 2.30.0; both units stop the rollback framework and fail. */
  @Test
  void noRollbackToAnOsOlderThan2300(Vertx vertx) {
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.UBOOT, "2.29.0", suite(), List.of())) {
      d.start();
      d.hup(NEW, "engine");
      d.settle(2);
      assertEquals(UnitState.FAILED, d.mesh().unit("rollback-altboot").orElseThrow().state());
      assertEquals(UnitState.FAILED, d.mesh().unit("rollback-health").orElseThrow().state());
      assertTrue(d.logged("rollback-health", "rollbacks: Can't rollback before 2.30.0. Previous OS version is 2.29.0"));
      OsStatus s = d.status(x -> x.breadcrumbs().isEmpty() && !x.upgradeAvailable(), "rollbacks stopped");
      assertEquals("b", s.activeSlot(), "the broken OS stays: there is nothing to roll back to");
    }
  }

  /**
   * An orderly reboot while the update is on trial: rollback-health's wait ends with the shutdown
   * (no stop grace), rollback-clear-bootcount deletes bootcount.env, so the next boot counts 1 again.
   */
  @Test
  void anOrderlyRebootOnTrialDoesNotCountTowardsTheFallback(Vertx vertx) {
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.UBOOT, HupDevice.health(600, 3), List.of())) {
      d.start();
      d.hup(NEW, "");
      d.awaitUnit(2, "rollback-health", UnitState.ACTIVATING);
      assertEquals("bootcount=1\n", d.read(BootEnv.BOOTCOUNT));
      long t0 = System.nanoTime();
      d.dev.reboot("test").await();
      d.awaitUnit(3, "rollback-health", UnitState.ACTIVATING);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 3000, "the reboot did not wait for the stop grace: " + ms + " ms");
      assertTrue(d.logged("rollback-clear-bootcount", "Rollback: Bootcount cleared"));
      assertEquals(1, d.dev.history().get(2).decision().bootcount(), "counted from 0 again");
      assertTrue(d.logged("rollback-health", "Stopped while waiting: reboot (test)"));
      List<UnitStateChanged> boot2 = d.dev.history().get(1).timeline();
      assertTrue(boot2.stream().anyMatch(c -> c.unit().equals("openvpn") && c.state() == UnitState.INACTIVE),
          "boot 2's units were stopped: " + boot2);
      d.awaitUnit(3, "rollback-health", UnitState.EXITED);
      assertEquals(HupOutcome.COMMITTED, d.status(s -> s.lastHup().outcome() == HupOutcome.COMMITTED, "committed")
          .lastHup().outcome());
    }
  }

  /** rollback-health on the other root waits REBOOT_TIMEOUT for rollback-altboot's reboot, then forces one. */
  @Test
  void withoutAltbootRollbackHealthForcesTheRebootAfterRebootTimeout(Vertx vertx) {
    JsonObject settings = suite();
    settings.getJsonObject("units").put("rollback-altboot", new JsonObject().put("enabled", false));
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.GRUB, settings, List.of())) {
      d.start();
      d.hup(NEW, "init");
      d.drive(() -> d.dev.boot() >= 4, "boot 4");
      BootRecord fallback = d.dev.history().get(2);
      assertTrue(fallback.decision().fellBack());
      assertEquals("reboot: rollback-health: rollback-altboot did not reboot within 900 s", fallback.end());
      assertEquals(900, (fallback.endedMillis() - fallback.startedMillis()) / 1000);
      assertTrue(d.logged("rollback-health", "Looks like something bad happened to rollback-altboot.service. Lets force a reboot"));
      assertFalse(d.exists(RollbackFiles.HEALTH_BREADCRUMB));
      assertFalse(d.exists(RollbackFiles.ALTBOOT_BREADCRUMB));
      // as the original: resin_root_part still names the broken slot, and nothing counts any more
      assertEquals(java.util.Map.of("bootcount", "0", "resin_root_part", "3", "upgrade_available", "0"),
          BootEnv.parse(d.read(BootEnv.GRUBENV.get(0))));
    }
  }

  /** What a HUP refuses: a bad version or break (whoever sends it on the bus), and a second update while one is on trial. */
  @Test
  void hupRefusals(Vertx vertx) {
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.UBOOT, HupDevice.health(600, 3), List.of())) {
      d.start();
      assertEquals("'latest' is not a balenaOS version (X.Y.Z or X.Y.Z+revN, e.g. 2.88.4 or 2.88.4+rev1)", refused(d, "latest", ""));
      assertEquals("break: 'kernel' is not one of engine, vpn, init", refused(d, NEW, "kernel"));
      assertTrue(d.hup(NEW, "none").rebooting(), "'none' breaks nothing");
      d.awaitUnit(2, "rollback-health", UnitState.ACTIVATING);
      assertEquals("a host OS update is on trial (upgrade_available=1, breadcrumbs [rollback-altboot-breadcrumb, "
          + "rollback-health-breadcrumb, rollback-health-variables]): wait until it commits or rolls back", refused(d, "2.90.0", ""));
    }
  }

  private static String refused(HupDevice d, String version, String brk) {
    Exception e = assertThrows(Exception.class,
        () -> d.mesh().bus().request(HostOsTopics.HUP, new HupRequest(version, brk, "test")).await());
    return e.getMessage();
  }
}
