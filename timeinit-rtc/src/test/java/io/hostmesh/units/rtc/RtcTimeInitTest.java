package io.hostmesh.units.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.support.BuildTime;
import io.hostmesh.units.time.BuildTimeInit;
import io.hostmesh.units.time.FakeHwclock;
import io.hostmesh.unit.support.TimeFormats;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(30)
class RtcTimeInitTest {
  static final Instant BUILD = Instant.now().plus(100, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

  private static SimDevice.Builder device(Vertx vertx, Instant rtc) {
    SimDevice.Builder b = SimDevice.builder(vertx)
        .unit(BuildTimeInit::new).unit(FakeHwclock::new).unit(RtcTimeInit::new)
        .file(BuildTime.FILE, TimeFormats.stamp(BUILD) + "\n");
    return rtc == null ? b : b.file("/dev/rtc", rtc.getEpochSecond() + "\n");
  }

  @Test
  void rtcMoreThanTwoSecondsAheadWins(Vertx vertx) {
    Instant rtc = BUILD.plus(2, ChronoUnit.DAYS);
    try (SimDevice dev = device(vertx, rtc).build()) {
      dev.start().await();
      dev.await(Targets.TIME_SET, t -> true).await();
      Instant now = dev.mesh().platform().clock().now();
      assertTrue(!now.isBefore(rtc) && now.isBefore(rtc.plusSeconds(5)), "clock at the RTC time: " + now);
      assertEquals("rtc", dev.mesh().platform().clock().lastSet().orElseThrow().source());
      assertTrue(dev.logged("timeinit-rtc", "Setting system time from RTC."));
    }
  }

  @Test
  void rtcMoreThanTwoSecondsBehindWarnsAndLeavesTheClock(Vertx vertx) {
    Instant rtc = BUILD.minus(10, ChronoUnit.DAYS);
    try (SimDevice dev = device(vertx, rtc).build()) {
      dev.start().await();
      dev.await(Targets.TIME_SET, t -> true).await();
      assertEquals("build-time", dev.mesh().platform().clock().lastSet().orElseThrow().source(), "RTC did not set the clock");
      assertTrue(dev.logged("timeinit-rtc", "System time is already set."));
      assertTrue(dev.logged("timeinit-rtc", "RTC time is in the past."));
      assertTrue(dev.logged("timeinit-rtc", "Check RTC battery if this issue persists."));
      assertTrue(dev.logged("timeinit-rtc", "RTC time: " + TimeFormats.stamp(rtc)));
    }
  }

  @Test
  void rtcWithinTwoSecondsIsQuiet(Vertx vertx) {
    try (SimDevice dev = device(vertx, BUILD.plusSeconds(1)).build()) {
      dev.start().await();
      dev.await(Targets.TIME_SET, t -> true).await();
      assertTrue(dev.logged("timeinit-rtc", "System time is already set."));
      assertTrue(!dev.logged("timeinit-rtc", "RTC time is in the past."));
    }
  }

  @Test
  void noRtcMeansSkippedAndTimeSetStillReached(Vertx vertx) {
    try (SimDevice dev = device(vertx, null).build()) {
      dev.start().await();
      dev.await(Targets.TIME_SET, t -> true).await();
      dev.awaitUnit("timeinit-rtc", UnitState.SKIPPED).await();
    }
  }

  @Test
  void unitFoundThroughServiceLoaderStartsOnlyAfterTimeSet(Vertx vertx, @TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/timestamp"), TimeFormats.stamp(BUILD) + "\n");
    MeshSettings settings = new MeshSettings(Profile.SIM, root, new JsonObject().put("api", new JsonObject().put("port", -1)));
    Mesh mesh = Mesh.builder(vertx, settings)
        // only the time chain and the test's own unit: other modules' units are not on this class path
        .discover(getClass().getClassLoader(), c -> c.getPackageName().startsWith("io.hostmesh.units.time")
            || c.getPackageName().equals("io.hostmesh.units.rtc"))
        .external(Targets.TIME_SYNC_HTTPS_WAIT)
        .build();
    mesh.start().await();
    UnitStateChanged probe = mesh.bus().await(io.hostmesh.schema.unit.UnitTopics.state("probe-after-time-set"),
        c -> c.state() == UnitState.EXITED).await();
    long timeSetAt = mesh.bus().latest(Targets.TIME_SET).orElseThrow().uptimeMillis();
    List<String> order = mesh.timeline().stream().map(c -> c.unit() + ":" + c.state().label()).toList();
    assertTrue(order.indexOf("probe-after-time-set:activating") > order.indexOf("fake-hwclock:exited"), order.toString());
    assertTrue(probe.uptimeMillis() >= timeSetAt);
    mesh.stop().await();
  }
}
