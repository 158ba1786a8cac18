package io.hostmesh.units.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.bus.Topic;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.support.BuildTime;
import io.hostmesh.unit.support.TimeFormats;
import io.hostmesh.units.network.NetworkUnit;
import io.hostmesh.units.time.BuildTimeInit;
import io.hostmesh.units.time.FakeHwclock;
import io.hostmesh.units.time.FakeHwclockUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100 simulated devices on one Vert.x, on virtual time, each with real units (build time,
 * fake-hwclock load/save, the hourly save, the network): every device's targets carry its own
 * values, a publish on one device's bus reaches no other, and once all have stopped the threads,
 * open file descriptors and retained heap are back near where they started.
 */
@Timeout(120)
class HundredDevicesTest {
  static final int DEVICES = Integer.getInteger("devices", 100);
  /** Each device is built on its own day, so its time-set target tells whose clock it came from. */
  static final Instant BUILD = Instant.now().plus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS);
  static final Topic<String> PING = Topic.event("test.ping", String.class);

  @Test
  void hundredDevicesShareOneVertxButNothingElseAndLeaveNothingBehind() throws Exception {
    // small pools, as on a device: what the devices start is then all there is to come back
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4).setInternalBlockingPoolSize(4));
    try {
      // warm-up with a whole fleet: classes loaded, code paths run, pools started, so the
      // baseline is the steady state and what stays after the second fleet is what it kept
      runFleet(vertx, DEVICES, false);
      Resources before = Resources.settled();
      runFleet(vertx, DEVICES, true);
      Resources after = Resources.settled();
      String figures = "before " + before + ", after " + after + " (" + DEVICES + " devices booted and stopped)";
      assertTrue(after.threads() <= before.threads() + 2, "threads back: " + figures);
      assertTrue(after.fds() <= before.fds() + 5, "file descriptors back: " + figures);
      // a stopped mesh still held by the event bus keeps about 15 KB: 1 MB is under what 100 of them hold
      assertTrue(after.heapBytes() <= before.heapBytes() + 1024 * 1024, "retained heap back: " + figures);
      System.out.println("HundredDevicesTest: " + figures);
    } finally {
      vertx.close().await();
    }
  }

  private static void runFleet(Vertx vertx, int n, boolean check) {
    List<SimDevice> devices = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        devices.add(SimDevice.builder(vertx).virtualTime()
            .unit(BuildTimeInit::new).unit(FakeHwclock::new).unit(FakeHwclockUpdate::new).unit(NetworkUnit::new)
            .external(Targets.TIME_SYNC_HTTPS_WAIT)
            .file(BuildTime.FILE, TimeFormats.stamp(BUILD.plus(i, ChronoUnit.DAYS)) + "\n")
            // every third device boots with its simulated network down
            .file(NetworkUnit.SIM_STATE_FILE, i % 3 == 0 ? "down\n" : "up\n")
            .build());
      }
      Future.all(devices.stream().map(SimDevice::start).toList()).await();
      for (int i = 0; i < n; i++) {
        // this device's own HTTPS sync result, told apart by its uptime
        devices.get(i).bus().publish(Targets.TIME_SYNC_HTTPS_WAIT, new Target("time-sync-https-wait", Instant.now(), 1000 + i));
      }
      Future.all(devices.stream().map(d -> d.awaitUnit("fake-hwclock-update", UnitState.ACTIVE)).toList()).await();
      Future.all(devices.stream().map(d -> d.mesh().whenSettled()).toList()).await();
      if (check) {
        assertIsolated(vertx, devices);
      }
      Future.all(devices.stream().map(SimDevice::stop).toList()).await();
    } finally {
      devices.forEach(SimDevice::close);
    }
  }

  private static void assertIsolated(Vertx vertx, List<SimDevice> devices) {
    int n = devices.size();
    for (int i = 0; i < n; i++) {
      SimDevice d = devices.get(i);
      Instant build = BUILD.plus(i, ChronoUnit.DAYS);
      Target timeSet = d.bus().latest(Targets.TIME_SET).orElseThrow();
      assertTrue(!timeSet.wallTime().isBefore(build) && timeSet.wallTime().isBefore(build.plus(1, ChronoUnit.HOURS)),
          "device " + i + " reached time-set at its own build time " + build + ": " + timeSet);
      assertEquals(i % 3 != 0, d.bus().latest(Targets.NETWORK).orElseThrow().online(),
          "device " + i + "'s network target follows its own switch file");
      assertEquals(1000 + i, d.bus().latest(Targets.TIME_SYNC_HTTPS_WAIT).orElseThrow().uptimeMillis(), "device " + i);
      assertEquals(4, d.mesh().units().size(), "device " + i + " has its own four units");
    }
    // a publish on one device's bus reaches that device only
    AtomicIntegerArray seen = new AtomicIntegerArray(n);
    List<io.hostmesh.bus.Subscription> subscriptions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int me = i;
      subscriptions.add(devices.get(i).bus().subscribe(PING, text -> {
        if (text.equals("to " + me)) {
          seen.incrementAndGet(me);
        } else {
          seen.set(me, -1_000_000); // someone else's message: fails below
        }
      }));
    }
    Future.all(subscriptions.stream().map(io.hostmesh.bus.Subscription::completion).toList()).await();
    for (int i = 0; i < n; i++) {
      devices.get(i).bus().publish(PING, "to " + i);
    }
    io.hostmesh.platform.Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(5), "every device saw its own ping", () -> {
      for (int i = 0; i < n; i++) {
        if (seen.get(i) != 1) {
          return seen.get(i) < 0;
        }
      }
      return true;
    }).await();
    for (int i = 0; i < n; i++) {
      assertEquals(1, seen.get(i), "device " + i + " saw its own ping once and no other device's");
    }
    Future.all(subscriptions.stream().map(io.hostmesh.bus.Subscription::cancel).toList()).await();
  }
}
