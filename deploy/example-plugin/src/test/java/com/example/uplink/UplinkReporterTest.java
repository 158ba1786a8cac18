package com.example.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.targets.NetworkState;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.testing.junit.SimDeviceExtension;
import io.hostmesh.testing.junit.SimUnits;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The example plugin tested on an in-process simulated device (virtual time, no daemons). */
@ExtendWith(SimDeviceExtension.class)
@SimUnits(UplinkReporter.class)
@Timeout(10)
class UplinkReporterTest {
  private static final Instant TRUSTED = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void waitsForTimeSyncAndNetworkThenReports(SimDevice dev) {
    dev.awaitUnit("uplink-reporter", UnitState.WAITING).await();
    dev.bus().publish(Targets.NETWORK, new NetworkState(true, "test", TRUSTED));
    assertTrue(dev.bus().latest(UplinkReporter.REPORT).isEmpty(), "reported before time-sync-https-wait");

    dev.bus().publish(Targets.TIME_SYNC_HTTPS_WAIT, new Target("time-sync-https-wait", TRUSTED, 10));
    UplinkReport first = dev.await(UplinkReporter.REPORT, r -> true).await();
    assertTrue(first.online());
    assertEquals(TRUSTED, first.clockTrustedAt());
    dev.awaitLog("uplink-reporter", "uplink reporter started").await();

    dev.bus().publish(Targets.NETWORK, new NetworkState(false, "cable pulled", TRUSTED));
    UplinkReport offline = dev.await(UplinkReporter.REPORT, r -> !r.online()).await();
    assertEquals("cable pulled", offline.reason());
    assertEquals(2, offline.reports());
  }

  @Test
  void offlineNetworkKeepsItWaiting(SimDevice dev) {
    dev.bus().publish(Targets.TIME_SYNC_HTTPS_WAIT, new Target("time-sync-https-wait", TRUSTED, 10));
    dev.bus().publish(Targets.NETWORK, new NetworkState(false, "no carrier", TRUSTED));
    dev.awaitUnit("uplink-reporter", UnitState.WAITING).await();
    assertFalse(dev.mesh().unit("uplink-reporter").orElseThrow().state().settled());
    dev.bus().publish(Targets.NETWORK, new NetworkState(true, "carrier", TRUSTED));
    dev.awaitUnit("uplink-reporter", UnitState.ACTIVE).await();
  }
}
