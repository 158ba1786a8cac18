package io.hostmesh.units.time;

import io.hostmesh.unit.support.TimeFormats;
import io.hostmesh.unit.support.BuildTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The time-set chain of spec/units.md §1 and boot-order.md "First boot" / "Reboot". */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class TimeSetTest {
  static final Instant BUILD = Instant.now().plus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

  private static SimDevice.Builder device(Vertx vertx) {
    return SimDevice.builder(vertx)
        .unit(BuildTimeInit::new)
        .unit(FakeHwclock::new)
        .file(BuildTime.FILE, TimeFormats.stamp(BUILD) + "\n");
  }

  @Test
  void buildTimeAheadOfTheClockIsSetAndTimeSetLatched(Vertx vertx) {
    try (SimDevice dev = device(vertx).build()) {
      dev.start().await();
      Target t = dev.await(Targets.TIME_SET, x -> true).await();
      Instant now = dev.mesh().platform().clock().now();
      assertTrue(!now.isBefore(BUILD) && now.isBefore(BUILD.plusSeconds(5)), "clock at build time: " + now);
      assertTrue(!t.wallTime().isBefore(BUILD), "target reached after the clock was set");
      assertEquals("build-time", dev.mesh().platform().clock().lastSet().orElseThrow().source());
      assertTrue(dev.logged("timeinit-buildtime", "Setting system time from build time."));
      assertTrue(dev.logged("timeinit-buildtime", "New time: " + TimeFormats.stamp(BUILD)));
      assertTrue(dev.logged("fake-hwclock", "Unable to read saved clock information: /etc/fake-hwclock/fake-hwclock.data does not exist"));
    }
  }

  @Test
  void buildTimeBehindTheClockChangesNothing(Vertx vertx) {
    Instant past = Instant.parse("2020-01-01T00:00:00Z");
    try (SimDevice dev = SimDevice.builder(vertx).unit(BuildTimeInit::new)
        .file(BuildTime.FILE, TimeFormats.stamp(past) + "\n").build()) {
      dev.start().await();
      dev.await(Targets.TIME_SET, x -> true).await();
      assertTrue(dev.mesh().platform().clock().lastSet().isEmpty());
      assertTrue(dev.logged("timeinit-buildtime", "System time already set."));
    }
  }

  @Test
  void savedFakeHwclockLaterThanBuildTimeWins(Vertx vertx) {
    Instant saved = BUILD.plus(3, ChronoUnit.DAYS);
    try (SimDevice dev = device(vertx).file(FakeHwclockFile.FILE, TimeFormats.HWCLOCK.format(saved) + "\n").build()) {
      dev.start().await();
      dev.await(Targets.TIME_SET, x -> true).await();
      Instant now = dev.mesh().platform().clock().now();
      assertTrue(!now.isBefore(saved) && now.isBefore(saved.plusSeconds(5)), "clock at saved time: " + now);
      assertEquals("fake-hwclock", dev.mesh().platform().clock().lastSet().orElseThrow().source());
      assertTrue(dev.logged("fake-hwclock", "Setting system time from /etc/fake-hwclock/fake-hwclock.data."));
    }
  }

  @Test
  void stopSavesTheTimeAndTheClockSurvivesASimulatedReboot(Vertx vertx, @TempDir java.nio.file.Path root) throws Exception {
    try (SimDevice dev = device(vertx).root(root).build()) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      dev.stop().await();
      assertTrue(dev.logged("fake-hwclock", "Saving system time to /etc/fake-hwclock/fake-hwclock.data."));
      Instant saved = TimeFormats.parseHwclock(dev.readFile(FakeHwclockFile.FILE)).orElseThrow();
      assertTrue(Duration.between(BUILD, saved).abs().getSeconds() < 5, "saved the simulated time: " + saved);
    }
    // the same root boots again: the offset clock was persisted, so the time is still ahead
    try (SimDevice again = device(vertx).root(root).build()) {
      again.start().await();
      // the bus of this Vert.x still holds the first boot's time-set: wait for this boot's own verdict
      again.awaitLog("timeinit-buildtime", "System time already set.").await();
      assertFalse(again.mesh().platform().clock().now().isBefore(BUILD));
      again.stop().await(); // its last writes done: JUnit removes the root after
    }
  }

  @Test
  void saveEarlierThanBuildTimeIsRefusedAsTimeTravel(Vertx vertx) {
    Instant saved = BUILD.plus(1, ChronoUnit.DAYS);
    String savedText = TimeFormats.HWCLOCK.format(saved) + "\n";
    try (SimDevice dev = device(vertx).file(FakeHwclockFile.FILE, savedText).build()) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      dev.mesh().platform().clock().set(BUILD.minus(30, ChronoUnit.DAYS), "test").await();
      dev.stop().await();
      assertTrue(dev.logged("fake-hwclock", "Time travel detected!"));
      assertEquals(savedText, dev.readFile(FakeHwclockFile.FILE), "the saved time is kept");
    }
  }

  @Test
  void hourlySaveWaitsForHttpsTimeSyncThenSavesAtTheFullHour(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime().unit(FakeHwclockUpdate::new)
        .external(Targets.TIME_SYNC_HTTPS_WAIT).build()) {
      dev.start().await();
      assertEquals("waiting for time-sync-https-wait", dev.mesh().unit("fake-hwclock-update").orElseThrow().detail());
      dev.bus().publish(Targets.TIME_SYNC_HTTPS_WAIT, new Target("time-sync-https-wait", Instant.now(), 0));
      dev.time().awaitPending(1).await();
      Instant now = dev.mesh().platform().clock().now();
      long toHour = Duration.between(now, now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS)).toMillis();
      assertEquals(toHour, dev.time().nextDue(), "armed for the next full hour");
      dev.time().advanceBy(Duration.ofMillis(toHour)).await();
      dev.awaitLog("fake-hwclock-update", "Saving system time to").await();
      // the next hour is armed once the save has landed (the write runs on the device's worker)
      dev.time().awaitPending(1).await();
      assertTrue(dev.path(FakeHwclockFile.FILE).toFile().exists());
    }
  }
}
