package io.hostmesh.units.time;

import io.hostmesh.platform.SystemClock;
import io.hostmesh.unit.support.TimeFormats;

import io.hostmesh.unit.support.BuildTime;

import io.hostmesh.schema.targets.Targets;
import io.hostmesh.unit.Condition;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * timeinit-buildtime: moves the clock forward to the build time if it is behind
 * (spec/units.md §1 timeinit-buildtime).
 */
public final class BuildTimeInit extends UnitVerticle {
  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("timeinit-buildtime")
      .description("Initialise system time from build time")
      .oneshot()
      .condition(Condition.pathExists(BuildTime.FILE))
      .provides(Targets.TIME_SET)
      .build();

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    var build = BuildTime.read(unit().files());
    if (build.isEmpty()) {
      unit().log().error("/etc/timestamp not found.");
      return Future.failedFuture("/etc/timestamp not found.");
    }
    unit().log().info("Setting system time from build time.");
    Instant now = unit().clock().now();
    // integer compare of YYYYMMDDhhmmss stamps = compare at whole seconds
    if (TimeFormats.seconds(now) < TimeFormats.seconds(build.get())) {
      return unit().clock().set(build.get(), "build-time")
          .onSuccess(set -> TimeFormats.logStep(unit().log(), now, build.get()))
          .<Void>mapEmpty()
          .recover(e -> {
            if (e instanceof SystemClock.NotSettable) {
              // no CAP_SYS_TIME: a restart cannot fix it, so report it and let the boot go on
              unit().log().error("System time not set from build time " + TimeFormats.stamp(build.get()) + ": " + e.getMessage());
              unit().status("clock not set: no CAP_SYS_TIME");
              return Future.succeededFuture();
            }
            unit().log().error("Setting the system time failed: " + e.getMessage());
            return Future.failedFuture(e);
          });
    }
    unit().log().info("System time already set.");
    return Future.succeededFuture();
  }
}
