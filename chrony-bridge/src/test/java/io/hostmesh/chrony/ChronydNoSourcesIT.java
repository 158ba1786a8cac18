package io.hostmesh.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.unit.RestartPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fresh sim device has no NTP source: "no sources configured" is a state, not an error loop.
 * The original's health check would log "Failed to trigger NTP sync" and withhold the watchdog
 * ping, so systemd restarted chronyd every 250 s; a device always has its default pools, so only
 * a sim device meets this.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ChronydNoSourcesIT {
  private ChronyDevice device;

  @AfterEach
  void cleanUp() throws Exception {
    ChronyDevice.closeAndCheck(device, null);
  }

  @Test
  void noSourceIsAStateNotAnErrorLoop(Vertx vertx) throws Exception {
    // status probes rarely, so virtual minutes do not run hundreds of chronyc processes
    JsonObject settings = new JsonObject().put("statusSeconds", 3600);
    device = new ChronyDevice(vertx, RestartPolicy.always(Duration.ofSeconds(10)), settings, null, true).start();
    device.dev.awaitUnit("chronyd", UnitState.ACTIVE).await(30, TimeUnit.SECONDS);
    device.dev.time().advanceBy(Duration.ofMillis(1)).await(30, TimeUnit.SECONDS); // healthdog's first check: at once
    awaitDetail(vertx, "no NTP sources configured");
    // the check that found no source fed the watchdog: the unit stays up past a watchdog period
    // (240 s) as long as the next checks do the same; the first check is what decides it
    UnitStatus chronyd = device.dev.mesh().unit("chronyd").orElseThrow();
    assertEquals(UnitState.ACTIVE, chronyd.state(), chronyd.toString());
    assertEquals(0, chronyd.restarts(), "never restarted: " + chronyd);
    assertEquals("no NTP sources configured", chronyd.detail());
    assertFalse(device.dev.logged("chronyd", HealthCheck.TRIGGER_FAILED), "no error loop");
    assertFalse(device.dev.logged("chronyd", HealthCheck.NO_ONLINE_SOURCES), "nothing to force a poll of");
    assertEquals(1, device.dev.logs().stream()
        .filter(l -> l.unit().equals("chronyd") && l.message().startsWith("No NTP sources configured")).count(), "said once");
  }

  private void awaitDetail(Vertx vertx, String detail) throws Exception {
    io.hostmesh.platform.Poll.until(vertx, Duration.ofSeconds(30), Duration.ofMillis(20),
        "chronyd's status line says " + detail,
        () -> device.dev.mesh().unit("chronyd").map(u -> u.detail().equals(detail)).orElse(false))
        .await(40, TimeUnit.SECONDS);
  }
}
