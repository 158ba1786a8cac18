package io.hostmesh.units.time;

import io.hostmesh.unit.support.BuildTime;

import io.hostmesh.platform.Timer;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * fake-hwclock-update.timer + .service: saves the time every full hour ({@code OnCalendar=hourly},
 * not persistent), armed only once time-sync-https-wait is reached — the built-in example of a
 * unit held until HTTPS time sync (spec/units.md §1, boot-order.md).
 */
public final class FakeHwclockUpdate extends UnitVerticle {
  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("fake-hwclock-update")
      .description("Save the system time every hour once HTTPS time sync has ended")
      .service()
      .requires(Targets.TIME_SYNC_HTTPS_WAIT)
      .build();

  private Timer timer;

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    armNext();
    return Future.succeededFuture();
  }

  /** The next full hour of the device clock (the clock may have been stepped since). */
  private void armNext() {
    Instant now = unit().clock().now();
    Instant next = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    timer = unit().scheduler().schedule(Duration.between(now, next), () -> {
      new FakeHwclockFile(unit().files(), unit().clock(), unit().log()).save(false, BuildTime.read(unit().files()))
          .onFailure(e -> unit().log().error("Saving the system time failed: " + e.getMessage()))
          .onComplete(x -> armNext());
    });
  }

  @Override
  public Future<?> stop() {
    if (timer != null) {
      timer.cancel();
    }
    return Future.succeededFuture();
  }
}
