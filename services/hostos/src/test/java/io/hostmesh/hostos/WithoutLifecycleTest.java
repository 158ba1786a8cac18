package io.hostmesh.hostos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.hostos.units.BootloaderUnit;
import io.hostmesh.hostos.units.EngineStandIn;
import io.hostmesh.hostos.units.HostappUpdate;
import io.hostmesh.hostos.units.OpenVpnStandIn;
import io.hostmesh.hostos.units.RollbackAltboot;
import io.hostmesh.hostos.units.RollbackClearBootcount;
import io.hostmesh.hostos.units.RollbackHealth;
import io.hostmesh.platform.Platforms;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.HupAnswer;
import io.hostmesh.schema.hostos.HupRequest;
import io.hostmesh.schema.hostos.OsStatus;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostos units on a mesh nobody reboots ({@code hostmesh run}, {@code hostmesh demo}, every
 * plain SimDevice): they read the files, stay out of the way without an A/B host OS, and a HUP
 * writes the slot but cannot reboot.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class WithoutLifecycleTest {
  private static SimDevice.Builder units(Vertx vertx) {
    return SimDevice.builder(vertx).virtualTime().unit(BootloaderUnit::new).unit(RollbackAltboot::new)
        .unit(RollbackHealth::new).unit(RollbackClearBootcount::new).unit(HostappUpdate::new)
        .unit(OpenVpnStandIn::new).unit(EngineStandIn::new);
  }

  @Test
  void withoutAnABHostOsNothingRunsAndNothingFails(Vertx vertx) {
    try (SimDevice dev = units(vertx).build()) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      assertTrue(dev.mesh().units().stream().noneMatch(u -> u.state() == UnitState.FAILED), dev.mesh().units().toString());
      assertEquals(UnitState.SKIPPED, dev.mesh().unit("openvpn").orElseThrow().state());
      assertEquals(UnitState.SKIPPED, dev.mesh().unit("balena").orElseThrow().state());
      assertEquals(UnitState.SKIPPED, dev.mesh().unit("rollback-health").orElseThrow().state());
      OsStatus s = dev.await(HostOsTopics.STATUS, x -> true).await();
      assertEquals("none", s.bootloader());
      assertEquals("no bootloader environment under /mnt/boot", s.decision());
      Exception e = assertThrows(Exception.class,
          () -> dev.bus().request(HostOsTopics.HUP, new HupRequest("2.89.0", "", "test")).await());
      assertEquals("no A/B host OS on this device (/mnt/boot/resinOS_uEnv.txt or a grubenv, and "
          + "/mnt/sysroot/a/etc/os-release)", e.getMessage());
      assertFalse(Files.exists(dev.root().resolve("run/openvpn")), "no stand-in files");
    }
  }

  @Test
  void aHupWritesTheSlotButNothingReboots(Vertx vertx) throws Exception {
    Path root = Files.createTempDirectory("hostmesh-nolifecycle-");
    try (SimDevice dev = units(vertx).root(root).build()) {
      SimOs.layout(Platforms.files(root), "2.88.4", BootEnv.Kind.UBOOT);
      dev.start().await();
      dev.mesh().whenSettled().await();
      OsStatus s = dev.await(HostOsTopics.STATUS, x -> true).await();
      assertEquals("a", s.activeSlot());
      assertEquals("2.88.4", s.version());
      assertEquals("slot a (resin_root_part): resin_root_part=2, upgrade_available=0, bootcount 0", s.decision());
      assertTrue(dev.mesh().unit("bootloader").orElseThrow().detail().startsWith("balenaOS 2.88.4 on slot a"),
          "hostmesh status shows the OS version in the bootloader line");
      HupAnswer a = dev.bus().request(HostOsTopics.HUP, new HupRequest("2.89.0", "", "test")).await();
      assertFalse(a.rebooting());
      assertTrue(a.message().endsWith("reboot needed (host OS update to 2.89.0) but nothing runs this sim device's "
          + "lifecycle: restart it to boot on"), a.message());
      OsStatus after = dev.await(HostOsTopics.STATUS, x -> x.upgradeAvailable()).await();
      assertEquals("b", after.namedSlot());
      assertEquals("2.89.0", after.slots().get(1).version());
    } finally {
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
