package io.hostmesh.units.rtc;

import io.hostmesh.platform.SystemClock;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.unit.Condition;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.hostmesh.unit.support.TimeFormats;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * timeinit-rtc: moves the clock forward to the RTC when the RTC is more than 2 s ahead, and
 * warns about a stale RTC when it is more than 2 s behind. Never writes the RTC
 * (spec/units.md §1 timeinit-rtc).
 */
public final class RtcTimeInit extends UnitVerticle {
  /** The threshold of the original script, in seconds. */
  static final long THRESHOLD_SECONDS = 2;

  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("timeinit-rtc")
      .description("Initialise system time from the RTC")
      .oneshot()
      .condition(Condition.rtcPresent())
      .after("timeinit-buildtime", "fake-hwclock")
      .provides(Targets.TIME_SET)
      .build();

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    unit().log().info("Setting system time from RTC.");
    return unit().rtc().read().compose(this::fromRtc);
  }

  private Future<Void> fromRtc(Optional<Instant> read) {
    if (read.isEmpty()) {
      unit().log().error("Unable to read the RTC.");
      return Future.failedFuture("Unable to read the RTC.");
    }
    long system = TimeFormats.seconds(unit().clock().now());
    long rtc = TimeFormats.seconds(read.get());
    long diff = Math.abs(system - rtc);
    Instant systemTime = Instant.ofEpochSecond(system);
    Instant rtcTime = Instant.ofEpochSecond(rtc);
    if (system < rtc && diff > THRESHOLD_SECONDS) {
      return unit().clock().set(rtcTime, "rtc").onSuccess(set -> TimeFormats.logStep(unit().log(), systemTime, rtcTime))
          .<Void>mapEmpty()
          .recover(e -> {
            if (e instanceof SystemClock.NotSettable) {
              // no CAP_SYS_TIME: a restart cannot fix it, so report it and let the boot go on
              unit().log().error("System time not set from the RTC: " + e.getMessage());
              unit().status("clock not set: no CAP_SYS_TIME");
              return Future.succeededFuture();
            }
            unit().log().error("Setting the system time from the RTC failed: " + e.getMessage());
            return Future.failedFuture(e);
          });
    } else {
      unit().log().info("System time is already set.");
      if (diff > THRESHOLD_SECONDS) {
        unit().log().warn("RTC time is in the past.");
        unit().log().warn("Check RTC battery if this issue persists.");
        unit().log().warn("System time: " + TimeFormats.stamp(systemTime));
        unit().log().warn("RTC time: " + TimeFormats.stamp(rtcTime));
      }
    }
    return Future.succeededFuture();
  }
}
