package io.hostmesh.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.demo.LocalNtpServer;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.time.ClockSet;
import io.hostmesh.schema.time.TimeTopics;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.unit.RestartPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13's clock scenario: a synced device loses its NTP server, then its clock is skewed 2 min
 * back as {@code POST /v1/sim/clock {"skewSeconds": -120}} does (the platform clock with source
 * {@code sim}): chrony-healthcheck cannot get back in sync and restarts chronyd.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class ChronydClockSkewIT {
  private LocalNtpServer server;
  private ChronyDevice device;

  @AfterEach
  void cleanUp() throws Exception {
    ChronyDevice.closeAndCheck(device, server);
  }

  @Test
  void skewWithTheNtpSourceGoneRestartsChronyd(Vertx vertx) throws Exception {
    server = new LocalNtpServer("127.0.0.2").start();
    RestartPolicy policy = RestartPolicy.always(Duration.ofMillis(500)).withStartLimit(50, Duration.ofMinutes(5));
    device = new ChronyDevice(vertx, policy, ChronydIT.fast(server.serverLine()), null).start();
    device.dev.await(Targets.TIME_SYNC, t -> true).await(30, TimeUnit.SECONDS);
    long firstPid = device.pid();

    server.stop();
    Instant now = device.dev.mesh().platform().clock().now();
    Future<ClockSet> published = device.dev.await(TimeTopics.CLOCK_SET, c -> c.source().equals("sim"));
    ClockSet set = device.dev.mesh().platform().clock().set(now.minus(Duration.ofSeconds(120)), "sim").await(10, TimeUnit.SECONDS);
    assertEquals("sim", published.await(10, TimeUnit.SECONDS).source());
    assertTrue(Duration.between(set.previous(), set.now()).toSeconds() <= -119, "skewed back 2 min: " + set);

    UnitStateChanged failed = device.awaitChange(c -> c.state() == UnitState.FAILED).await(60, TimeUnit.SECONDS);
    assertEquals("health check: " + HealthCheck.LOST_SYNC, failed.detail());
    assertTrue(device.dev.logged("chronyd", HealthCheck.LOST_SYNC));
    UnitStateChanged restarted = device.awaitChange(c -> c.state() == UnitState.ACTIVATING && c.detail().equals("restart 1"))
        .await(30, TimeUnit.SECONDS);
    device.awaitChange(c -> c.state() == UnitState.ACTIVE && c.uptimeMillis() >= restarted.uptimeMillis())
        .await(30, TimeUnit.SECONDS);
    assertNotEquals(firstPid, device.pid(), "a new chronyd");
  }
}
