package io.hostmesh.deploy.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify over a real Unix datagram socket owned by the test (the systemd side). */
@Timeout(60)
class SdNotifyHookIT {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  @TempDir Path tmp;
  Vertx vertx;
  NotifyReceiver systemd;
  SimDevice dev;
  SdNotifyHook hook;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    systemd = new NotifyReceiver(tmp.resolve("notify.sock"));
  }

  @AfterEach
  void tearDown() {
    if (hook != null && dev != null) {
      hook.stopping(dev.mesh()).await();
    }
    if (dev != null) {
      dev.stop().await();
      dev.close();
    }
    systemd.close();
    vertx.close().await();
  }

  private void boot(long graceMs) {
    dev = SimDevice.builder(vertx).external(Targets.TIME_SET, FailOnRequest.FAIL).unit(FailOnRequest::new)
        .settings(s -> s.put("watchdog", new JsonObject().put("grace-ms", graceMs))).build();
    dev.start().await();
    dev.awaitUnit("fail-on-request", UnitState.ACTIVE).await();
    hook = new SdNotifyHook(Map.of("NOTIFY_SOCKET", systemd.path.toString(), "WATCHDOG_USEC", "100000",
        "WATCHDOG_PID", Long.toString(ProcessHandle.current().pid())));
    hook.started(dev.mesh()).await();
  }

  @Test
  void readyOnlyAfterTimeSetThenPeriodicWatchdog() throws Exception {
    boot(30_000);
    int firstPing = systemd.await("WATCHDOG=1"::equals, 0, LIMIT);
    systemd.await("WATCHDOG=1"::equals, firstPing + 1, LIMIT);
    assertTrue(systemd.messages().stream().noneMatch(m -> m.contains("READY=1")), "READY before time-set: " + systemd.messages());
    int statusBefore = systemd.await(m -> m.startsWith("STATUS=1 units: 1 active"), 0, LIMIT);
    assertTrue(statusBefore >= 0);

    dev.bus().publish(Targets.TIME_SET, new Target("time-set", Instant.now(), 1));
    int ready = systemd.await(m -> m.startsWith("READY=1\nSTATUS=1 units: 1 active"), 0, LIMIT);
    // pings keep coming after READY
    int later = systemd.await("WATCHDOG=1"::equals, ready + 1, LIMIT);
    systemd.await("WATCHDOG=1"::equals, later + 1, LIMIT);
    assertEquals(1, systemd.messages().stream().filter(m -> m.startsWith("READY=1")).count());
  }

  @Test
  void pingsStopWhenAUnitGaveUp() throws Exception {
    boot(0);
    int ping = systemd.await("WATCHDOG=1"::equals, 0, LIMIT);
    dev.bus().publish(FailOnRequest.FAIL, new FailOnRequest.Reason("disk gone"));
    dev.awaitUnit("fail-on-request", UnitState.FAILED).await();
    int unhealthy = systemd.await(m -> m.startsWith("STATUS=unhealthy, watchdog pings withheld: fail-on-request failed"),
        ping, LIMIT);
    long withheldAt = hook.withheld();
    // three more watchdog ticks, all withheld, then a marker through the same socket: anything
    // sent by those ticks would have arrived before it
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (hook.withheld() < withheldAt + 3 && System.nanoTime() < deadline) {
      synchronized (this) {
        wait(10);
      }
    }
    assertTrue(hook.withheld() >= withheldAt + 3, "watchdog ticks did not run");
    hook.notify("STATUS=marker").await();
    int marker = systemd.await("STATUS=marker"::equals, unhealthy, LIMIT);
    List<String> between = systemd.messages().subList(unhealthy, marker);
    assertTrue(between.stream().noneMatch("WATCHDOG=1"::equals), "ping while unhealthy: " + between);
  }

  @Test
  void withoutNotifySocketNothingHappens() {
    boot0();
  }

  private void boot0() {
    dev = SimDevice.builder(vertx).external(Targets.TIME_SET, FailOnRequest.FAIL).unit(FailOnRequest::new).build();
    dev.start().await();
    SdNotifyHook quiet = new SdNotifyHook(Map.of());
    quiet.started(dev.mesh()).await();
    assertEquals(0, quiet.pings());
    assertTrue(quiet.notify("READY=1").failed());
  }

  @Test
  void watchdogIntervalHonoursPid() {
    assertEquals(Duration.ofSeconds(30), SdNotifyHook.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000")).orElseThrow());
    assertTrue(SdNotifyHook.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1")).isEmpty());
    assertTrue(SdNotifyHook.watchdogInterval(Map.of("WATCHDOG_USEC", "30s; rm -rf /")).isEmpty());
    assertTrue(Files.exists(systemd.path));
  }
}
