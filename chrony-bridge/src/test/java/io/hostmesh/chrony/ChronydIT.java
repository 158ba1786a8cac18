package io.hostmesh.chrony;

import io.hostmesh.demo.LocalNtpServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.chrony.ChronyStatus;
import io.hostmesh.schema.chrony.ChronyTopics;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.https.SimFirewall;
import io.hostmesh.schema.config.Projections.NtpConfig;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.targets.NetworkState;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.time.ClockSet;
import io.hostmesh.schema.time.TimeTopics;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.unit.RestartPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** chronyd supervised for real, against a server chronyd on loopback (both with -x). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ChronydIT {
  private static final RestartPolicy POLICY = RestartPolicy.always(Duration.ofMillis(500));
  private LocalNtpServer server;
  private ChronyDevice device;

  @AfterEach
  void cleanUp() throws Exception {
    ChronyDevice.closeAndCheck(device, server);
  }

  @Test
  void selectsTheServerAndLatchesTimeSync(Vertx vertx) throws Exception {
    server = new LocalNtpServer("127.0.0.2").start();
    device = new ChronyDevice(vertx, POLICY, fast(server.serverLine()), null);
    device.dev.start().await(20, TimeUnit.SECONDS);
    assertEquals(UnitState.WAITING, device.dev.mesh().unit("chronyd").orElseThrow().state(),
        "chronyd waits for time-sync-https-wait");
    assertFalse(Files.exists(device.dev.path(ChronyPaths.PID_FILE)));
    device.dev.bus().publish(Targets.TIME_SYNC_HTTPS_WAIT, new Target("time-sync-https-wait", Instant.now(), 0));

    Target synced = device.dev.await(Targets.TIME_SYNC, t -> true).await(30, TimeUnit.SECONDS);
    assertEquals("time-sync", synced.name());
    ChronyStatus status = device.dev.bus().latest(ChronyTopics.STATUS).orElseThrow();
    assertTrue(status.running() && status.synced());
    assertEquals("127.0.0.2", status.selectedSource());
    assertEquals(9, status.stratum(), "one above the server's local stratum 8");
    assertEquals(1, status.reachableSources());
    assertTrue(status.lastUpdate() != null);
    assertTrue(Math.abs(status.offsetSeconds()) <= 0.1);
    assertTrue(device.chronycSources().contains("^* 127.0.0.2"), "the acceptance test's ^* marker");
    String conf = device.dev.readFile(ChronyPaths.CONF);
    assertTrue(conf.contains("server " + server.serverLine()));
  }

  @Test
  void ntpServersAppearInSourcesAndGoAway(Vertx vertx) throws Exception {
    server = new LocalNtpServer("127.0.0.3").start();
    // no configured server: only config.json's ntpServers can make chronyd sync
    JsonObject chronyd = fast(null).put("waitsyncTries", 600).put("healthCheckSeconds", 600);
    device = new ChronyDevice(vertx, POLICY, chronyd, new JsonObject().put("sourceOptions", server.sourceOptions()))
        .start();
    device.awaitChange(c -> c.state() == UnitState.ACTIVE).await(30, TimeUnit.SECONDS);
    assertFalse(device.chronycSources().contains("127.0.0.3"));

    device.dev.bus().publish(ConfigTopics.NTP, new NtpConfig(List.of("127.0.0.3")));
    ChronyStatus with = device.dev.await(ChronyTopics.STATUS,
        s -> s.synced() && "127.0.0.3".equals(s.selectedSource())).await(30, TimeUnit.SECONDS);
    assertEquals(1, with.sources().size());
    assertTrue(device.chronycSources().contains("127.0.0.3"));
    assertTrue(device.dev.readFile(ChronyPaths.CONFIG_SOURCES).startsWith("pool 127.0.0.3 port "));

    device.dev.bus().publish(ConfigTopics.NTP, new NtpConfig(List.of()));
    device.dev.await(ChronyTopics.STATUS, s -> s.running() && s.sources().isEmpty()).await(30, TimeUnit.SECONDS);
    assertFalse(device.chronycSources().contains("127.0.0.3"));
    assertFalse(Files.exists(device.dev.path(ChronyPaths.CONFIG_SOURCES)));
  }

  @Test
  void aSkewedSimulatedClockIsSteppedBack(Vertx vertx) throws Exception {
    server = new LocalNtpServer("127.0.0.2").start();
    device = new ChronyDevice(vertx, POLICY, fast(server.serverLine()), null).start();
    device.dev.await(Targets.TIME_SYNC, t -> true).await(30, TimeUnit.SECONDS);

    // the device suite's test: date --set="-2min"
    Future<ClockSet> stepped = device.dev.await(TimeTopics.CLOCK_SET, c -> "ntp".equals(c.source()));
    var clock = device.dev.mesh().platform().clock();
    clock.set(clock.now().minus(Duration.ofMinutes(2)), "test");
    ClockSet set = stepped.await(30, TimeUnit.SECONDS);
    long stepMillis = Duration.between(set.previous(), set.now()).toMillis();
    assertTrue(Math.abs(stepMillis - 120_000) < 1_000, "stepped forward by about 2 min: " + stepMillis);
    long offFromHost = Math.abs(clock.now().toEpochMilli() - System.currentTimeMillis());
    assertTrue(offFromHost < 1_000, "the server serves the host's time: off by " + offFromHost + " ms");
    device.dev.awaitLog("chronyd", "System clock was stepped by 120.").await(10, TimeUnit.SECONDS);
    device.dev.await(ChronyTopics.STATUS, s -> s.synced() && Math.abs(s.offsetSeconds()) <= 0.1)
        .await(30, TimeUnit.SECONDS);
  }

  @Test
  void aSkewWhileNtpIsBlockedIsNotSteppedUntilNtpPassesAgain(Vertx vertx) throws Exception {
    server = new LocalNtpServer("127.0.0.2").start();
    device = new ChronyDevice(vertx, POLICY, fast(server.serverLine()), null).start();
    device.dev.await(Targets.TIME_SYNC, t -> true).await(30, TimeUnit.SECONDS);
    java.util.List<ClockSet> ntpSteps = new java.util.concurrent.CopyOnWriteArrayList<>();
    device.dev.bus().subscribe(TimeTopics.CLOCK_SET, c -> {
      if ("ntp".equals(c.source())) {
        ntpSteps.add(c);
      }
    });

    // the suite's iptables rule, then date --set="-2min": chronyd here still hears its source (the
    // emulation takes it offline after the rule), a real one would get no sample to step with
    device.dev.bus().publish(HttpsTopics.SIM_FIREWALL,
        new SimFirewall(List.of("-A OUTPUT -p udp -m udp --dport 123 -j DROP"), true, false));
    var clock = device.dev.mesh().platform().clock();
    clock.set(clock.now().minus(Duration.ofMinutes(2)), "test").await(10, TimeUnit.SECONDS);
    java.util.concurrent.atomic.AtomicInteger skewedProbes = new java.util.concurrent.atomic.AtomicInteger();
    device.dev.bus().subscribe(ChronyTopics.STATUS, st -> {
      if (!st.synced() && st.offsetSeconds() < -100) {
        skewedProbes.incrementAndGet();
      }
    });
    // three probes (every 0.25 s) that saw the skew and left it
    io.hostmesh.platform.Poll.until(vertx, Duration.ofSeconds(30), Duration.ofMillis(20), "3 probes after the skew",
        () -> skewedProbes.get() >= 3).await(40, TimeUnit.SECONDS);
    assertEquals(List.of(), ntpSteps, "nothing stepped the clock while NTP was blocked");

    Future<ClockSet> stepped = device.dev.await(TimeTopics.CLOCK_SET, c -> "ntp".equals(c.source()));
    device.dev.bus().publish(HttpsTopics.SIM_FIREWALL, SimFirewall.OPEN);
    ClockSet set = stepped.await(30, TimeUnit.SECONDS);
    assertTrue(Math.abs(Duration.between(set.previous(), set.now()).toMillis() - 120_000) < 1_000, set.toString());
  }

  @Test
  void networkChangesRunOnoffline(Vertx vertx) throws Exception {
    server = new LocalNtpServer("127.0.0.2").start();
    device = new ChronyDevice(vertx, POLICY, fast(server.serverLine()), null).start();
    device.dev.await(Targets.TIME_SYNC, t -> true).await(30, TimeUnit.SECONDS);
    device.dev.bus().publish(Targets.NETWORK, new NetworkState(false, "test", Instant.now()));
    device.dev.awaitLog("chronyd", "Setting NTP source on/offline status (connectivity-change NONE).")
        .await(10, TimeUnit.SECONDS);
    device.dev.bus().publish(Targets.NETWORK, new NetworkState(true, "test", Instant.now()));
    device.dev.awaitLog("chronyd", "Setting NTP source on/offline status (connectivity-change FULL).")
        .await(10, TimeUnit.SECONDS);
    // the loopback server stays reachable, so onoffline leaves it online and selected
    device.dev.await(ChronyTopics.STATUS, s -> s.synced()).await(30, TimeUnit.SECONDS);
  }

  /** Settings that make an IT take seconds: status every 250 ms, a health check every second. */
  static JsonObject fast(String serverLine) {
    JsonObject s = new JsonObject().put("healthCheckSeconds", 1).put("waitsyncTries", 3).put("statusSeconds", 0.25);
    if (serverLine != null) {
      s.put("servers", new JsonArray().add(serverLine));
    }
    return s;
  }
}
