package io.hostmesh.units.time;

import io.hostmesh.unit.support.BuildTime;

import io.hostmesh.schema.targets.Targets;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;

/**
 * fake-hwclock.service: {@code load} at start, {@code save} at stop (spec/units.md §1).
 * Ordered after timeinit-buildtime, before timeinit-rtc and time-set.
 */
public final class FakeHwclock extends UnitVerticle {
  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("fake-hwclock")
      .description("Restore and save the system time across reboots")
      .oneshot()
      .after("timeinit-buildtime")
      .provides(Targets.TIME_SET)
      .build();

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  private FakeHwclockFile file() {
    return new FakeHwclockFile(unit().files(), unit().clock(), unit().log());
  }

  @Override
  public Future<?> start() {
    // the original fails when /etc/timestamp is missing; the load itself does not need it
    if (BuildTime.read(unit().files()).isEmpty()) {
      unit().log().error("/etc/timestamp not found.");
      return Future.failedFuture("/etc/timestamp not found.");
    }
    try {
      return file().load(false);
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<?> stop() {
    return file().save(false, BuildTime.read(unit().files()))
        .onFailure(e -> unit().log().error("Saving the system time failed: " + e.getMessage()));
  }
}
