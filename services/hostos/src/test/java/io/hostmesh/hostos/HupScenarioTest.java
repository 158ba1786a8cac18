package io.hostmesh.hostos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.hostos.HupAnswer;
import io.hostmesh.schema.hostos.HupOutcome;
import io.hostmesh.schema.hostos.OsStatus;
import io.hostmesh.schema.unit.UnitState;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * balena's HUP suite ({@code tests/suites/hup/tests/rollbacks.js}) on a sim device that reboots
 * in one process, on virtual time: with the suite's shortened health constants (COUNT 3,
 * TIMEOUT 10) and with the spec's defaults (COUNT 15, TIMEOUT 60: ~16 min of device time).
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class HupScenarioTest {
  static final String OLD = SimOs.DEFAULT_VERSION;
  static final String NEW = "2.89.0";

  static Stream<Arguments> brokenPart() {
    return Stream.of(Arguments.of("engine", 10, 3), Arguments.of("vpn", 10, 3),
        Arguments.of("engine", 60, 15), Arguments.of("vpn", 60, 15));
  }

  static Stream<Arguments> constants() {
    return Stream.of(Arguments.of(10, 3), Arguments.of(60, 15));
  }

  static Stream<Arguments> bootloaders() {
    return Stream.of(Arguments.of(BootEnv.Kind.UBOOT, 10, 3), Arguments.of(BootEnv.Kind.UBOOT, 60, 15),
        Arguments.of(BootEnv.Kind.GRUB, 10, 3), Arguments.of(BootEnv.Kind.GRUB, 60, 15));
  }

  /** Broken engine or VPN: the health check rolls back to the old OS. */
  @ParameterizedTest(name = "--break {0}, TIMEOUT {1}, COUNT {2}")
  @MethodSource("brokenPart")
  void brokenEngineOrVpnRollsBackByHealth(String part, int timeout, int count, Vertx vertx) {
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.UBOOT, HupDevice.health(timeout, count), List.of())) {
      d.start();
      HupAnswer a = d.hup(NEW, part);
      assertTrue(a.rebooting(), a.message());
      assertEquals("b", a.toSlot());
      d.awaitUnit(2, "rollback-health", UnitState.ACTIVATING);
      assertEquals("b", d.status().activeSlot(), "boot 2 runs the new slot");
      assertEquals(NEW, d.status().version());
      d.settle(3);
      // the suite's checks
      assertFalse(d.exists(RollbackFiles.HEALTH_BREADCRUMB), "health breadcrumb gone");
      assertTrue(d.exists(RollbackFiles.HEALTH_TRIGGERED), "rollback-health-triggered present");
      assertFalse(d.exists(RollbackFiles.ALTBOOT_TRIGGERED), "rollback-altboot-triggered absent");
      assertFalse(d.exists(RollbackFiles.HEALTH_FAILED), "rollback-health-failed absent");
      // running the old version again, with the rollback made permanent
      OsStatus s = d.status();
      assertEquals("a", s.activeSlot());
      assertEquals(OLD, s.version());
      assertTrue(d.read(SimOs.OS_RELEASE).contains("VERSION=\"" + OLD + "\""));
      assertFalse(s.upgradeAvailable());
      assertFalse(d.exists(BootEnv.BOOTCOUNT));
      assertEquals(List.of("rollback-health-triggered"), s.breadcrumbs());
      assertEquals(HupOutcome.ROLLED_BACK_HEALTH, s.lastHup().outcome());
      // the script's timing: COUNT failed tests, TIMEOUT apart, after a first TIMEOUT, then 10 s
      long expected = (long) timeout * (count + 1) + 10;
      BootRecord trial = d.dev.history().get(1);
      long took = (trial.endedMillis() - trial.startedMillis()) / 1000;
      assertTrue(took >= expected && took <= expected + 1, "trial took " + took + " s of device time, expected " + expected);
      assertTrue(d.logged("rollback-health", "Trying healthcheck again " + (count - 1) + " of " + count + " attempts"));
      assertTrue(d.logged("rollback-health", part.equals("vpn") ? "VPN used to be ok but has not connected!"
          : "balenaEngine is not healthy!"));
      assertEquals(UnitState.SKIPPED, d.mesh().unit("rollback-health").orElseThrow().state());
    }
  }

  /** Deleted init: the new OS never reaches userspace; the bootloader falls back and rollback-altboot makes it permanent. */
  @ParameterizedTest(name = "{0}, TIMEOUT {1}, COUNT {2}")
  @MethodSource("bootloaders")
  void deletedInitRollsBackByAltboot(BootEnv.Kind kind, int timeout, int count, Vertx vertx) {
    try (HupDevice d = new HupDevice(vertx, kind, HupDevice.health(timeout, count), List.of())) {
      d.start();
      assertTrue(d.hup(NEW, "init").rebooting());
      // u-boot: boots 2, 3, 4 fail (bootcount 1..3), boot 5 exceeds the limit; grub: boot 2 fails, boot 3 falls back
      int fallback = kind == BootEnv.Kind.UBOOT ? 5 : 3;
      d.settle(fallback + 1);
      List<BootRecord> h = d.dev.history();
      for (int b = 2; b < fallback; b++) {
        BootRecord r = h.get(b - 1);
        assertFalse(r.decision().userspace(), "boot " + b + " fails: " + r.decision().message());
        assertEquals(b - 1, r.decision().bootcount());
      }
      BootRecord fell = h.get(fallback - 1);
      assertTrue(fell.decision().fellBack(), fell.decision().message());
      assertEquals("a", fell.decision().slot());
      assertTrue(fell.end().startsWith("reboot: rollback-altboot"), fell.end());
      // the suite's checks
      assertFalse(d.exists(RollbackFiles.ALTBOOT_BREADCRUMB), "altboot breadcrumb gone");
      assertTrue(d.exists(RollbackFiles.ALTBOOT_TRIGGERED), "rollback-altboot-triggered present");
      assertFalse(d.exists(RollbackFiles.HEALTH_TRIGGERED), "rollback-health-triggered absent");
      OsStatus s = d.status();
      assertEquals("a", s.activeSlot());
      assertEquals("a", s.namedSlot(), "resin_root_part points at the old slot again");
      assertFalse(s.upgradeAvailable());
      assertEquals(0, s.bootcount());
      assertEquals(OLD, s.version());
      assertEquals(HupOutcome.ROLLED_BACK_ALTBOOT, s.lastHup().outcome());
      assertTrue(d.logged("bootloader", "Kernel panic - not syncing: No working init found."));
      assertTrue(d.logged("rollback-altboot", "Looks like we are running in altboot mode"));
    }
  }

  /** A healthy update commits: no breadcrumbs, bootcount cleared, and the new version boots again. */
  @ParameterizedTest(name = "TIMEOUT {0}, COUNT {1}")
  @MethodSource("constants")
  void healthyUpdateCommits(int timeout, int count, Vertx vertx) {
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.UBOOT, HupDevice.health(timeout, count), List.of())) {
      d.start();
      d.hup(NEW, "");
      d.awaitUnit(2, "rollback-health", UnitState.EXITED);
      OsStatus s = d.status(x -> x.lastHup() != null && x.lastHup().outcome() == HupOutcome.COMMITTED, "committed");
      assertEquals(List.of(), s.breadcrumbs());
      assertFalse(s.upgradeAvailable());
      assertFalse(d.exists(BootEnv.BOOTCOUNT), "bootcount cleared");
      assertEquals(HupOutcome.COMMITTED, s.lastHup().outcome());
      assertTrue(d.logged("rollback-health", "Rollback: new OS seems stable. Preventing further rollbacks"));
      d.dev.reboot("test").await();
      d.settle(3);
      s = d.status();
      assertEquals("b", s.activeSlot());
      assertEquals(NEW, s.version());
      assertEquals(0, s.bootcount());
      assertEquals(List.of(), s.breadcrumbs());
      assertEquals(UnitState.SKIPPED, d.mesh().unit("rollback-health").orElseThrow().state());
    }
  }
}
