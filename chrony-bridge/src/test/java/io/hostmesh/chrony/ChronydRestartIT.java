package io.hostmesh.chrony;

import io.hostmesh.demo.LocalNtpServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.chrony.ChronyTopics;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.schema.time.ClockSet;
import io.hostmesh.schema.time.TimeTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** chronyd's failures: lost sources (health check) and a chronyd killed from outside. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class ChronydRestartIT {
  private LocalNtpServer server;
  private ChronyDevice device;

  @AfterEach
  void cleanUp() throws Exception {
    ChronyDevice.closeAndCheck(device, server);
  }

  @Test
  void lostSourcesRestartChronydUntilTheServerIsBack(Vertx vertx) throws Exception {
    long firstPid = syncedToALocalServer(vertx);

    server.stop();
    device.dev.awaitLog("chronyd", HealthCheck.NO_ONLINE_SOURCES + "").await(60, TimeUnit.SECONDS);
    // the first chronyd's check fails once its source is unreachable ...
    UnitStateChanged failed = device.awaitChange(c -> c.state() == UnitState.FAILED).await(60, TimeUnit.SECONDS);
    assertEquals("health check: NTP time lost synchronization - restarting chronyd", failed.detail());
    assertTrue(device.dev.logged("chronyd", HealthCheck.LOST_SYNC));
    // ... and chronyd is restarted after the delay
    UnitStateChanged restarted = device.awaitChange(c -> c.state() == UnitState.ACTIVATING && c.detail().equals("restart 1"))
        .await(30, TimeUnit.SECONDS);
    assertTrue(restarted.uptimeMillis() - failed.uptimeMillis() >= 500, "RestartSec is honoured");
    device.awaitChange(c -> c.state() == UnitState.ACTIVE && c.uptimeMillis() >= restarted.uptimeMillis())
        .await(30, TimeUnit.SECONDS);
    assertNotEquals(firstPid, device.pid());

    // right after a restart with no reachable source the check says both messages again
    UnitStateChanged failedAgain = device.awaitChange(c -> c.state() == UnitState.FAILED
        && c.uptimeMillis() > restarted.uptimeMillis()).await(60, TimeUnit.SECONDS);
    assertEquals(failed.detail(), failedAgain.detail());
    assertEquals(1, countBetween(HealthCheck.NO_ONLINE_SOURCES, restarted, failedAgain));
    assertEquals(1, countBetween(HealthCheck.LOST_SYNC, restarted, failedAgain));

    server.start();
    Instant after = device.dev.mesh().platform().clock().now();
    device.dev.await(ChronyTopics.STATUS, s -> s.synced() && s.checkedAt().isAfter(after)).await(60, TimeUnit.SECONDS);
    assertTrue(device.dev.mesh().unit("chronyd").orElseThrow().restarts() >= 2);
  }

  @Test
  void aKilledChronydIsRestartedUntilTheStartLimit(Vertx vertx) throws Exception {
    Duration delay = Duration.ofMillis(300);
    RestartPolicy policy = RestartPolicy.always(delay).withStartLimit(3, Duration.ofMinutes(2));
    // no source and a slow health check: only the kills fail the unit here
    JsonObject settings = new JsonObject().put("healthCheckSeconds", 600).put("waitsyncTries", 600);
    device = new ChronyDevice(vertx, policy, settings, null).start();

    long since = 0;
    for (int start = 1; start <= 3; start++) {
      int n = start;
      long from = since;
      UnitStateChanged active = device.awaitChange(c -> c.state() == UnitState.ACTIVE && c.uptimeMillis() >= from)
          .await(30, TimeUnit.SECONDS);
      long pid = device.pid();
      ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL, from outside the mesh
      UnitStateChanged failed = device.awaitChange(c -> c.state() == UnitState.FAILED && c.uptimeMillis() >= active.uptimeMillis())
          .await(30, TimeUnit.SECONDS);
      if (n < 3) {
        assertEquals("chronyd exited with status 137", failed.detail());
        UnitStateChanged again = device.awaitChange(c -> c.state() == UnitState.ACTIVATING && c.detail().equals("restart " + n))
            .await(30, TimeUnit.SECONDS);
        assertTrue(again.uptimeMillis() - failed.uptimeMillis() >= delay.toMillis(), "restarted after the delay");
        since = again.uptimeMillis();
      }
    }
    UnitStateChanged limit = device.awaitChange(c -> c.state() == UnitState.FAILED && c.detail().startsWith("start-limit-hit"))
        .await(30, TimeUnit.SECONDS);
    assertEquals("start-limit-hit: 3 starts within 120 s", limit.detail());
    assertEquals(UnitState.FAILED, device.dev.mesh().unit("chronyd").orElseThrow().state());
    assertEquals(List.of(), device.chronydProcesses(), "no chronyd left running after the start limit");
    device.dev.await(ChronyTopics.STATUS, s -> !s.running()).await(10, TimeUnit.SECONDS);
  }

  private long countBetween(String text, UnitStateChanged from, UnitStateChanged to) {
    return device.dev.logs().stream()
        .filter(l -> l.unit().equals("chronyd") && l.message().equals(text)
            && l.uptimeMillis() >= from.uptimeMillis() && l.uptimeMillis() <= to.uptimeMillis())
        .count();
  }

  /**
   * Issue 13's clock scenario: a synced device loses its NTP server, then its clock is skewed 2 min
   * back as {@code POST /v1/sim/clock {"skewSeconds": -120}} does (the platform clock with source
   * {@code sim}): chrony-healthcheck cannot get back in sync and restarts chronyd. (Losing the server
   * alone reaches this path too, see above: this proves it still runs with the skew applied.)
   */
  @Test
  void skewWithTheNtpSourceGoneRestartsChronyd(Vertx vertx) throws Exception {
    long firstPid = syncedToALocalServer(vertx);
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

  /** A device whose chronyd (restarted every 500 ms, up to 50 times) has synced to a local server; its pid. */
  private long syncedToALocalServer(Vertx vertx) throws Exception {
    server = new LocalNtpServer("127.0.0.2").start();
    RestartPolicy policy = RestartPolicy.always(Duration.ofMillis(500)).withStartLimit(50, Duration.ofMinutes(5));
    device = new ChronyDevice(vertx, policy, ChronydIT.fast(server.serverLine()), null).start();
    device.dev.await(Targets.TIME_SYNC, t -> true).await(30, TimeUnit.SECONDS);
    return device.pid();
  }
}
