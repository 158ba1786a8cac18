package io.hostmesh.units.rtc;

import io.hostmesh.schema.targets.Targets;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;

/** An integrator's unit from outside the built-in set, found through ServiceLoader. */
public final class ProbeAfterTimeSet extends UnitVerticle {
  @Override
  public UnitDescriptor descriptor() {
    return UnitDescriptor.named("probe-after-time-set").requires(Targets.TIME_SET).build();
  }

  @Override
  public Future<?> start() {
    unit().log().info("started with time-set latched: " + unit().bus().latest(Targets.TIME_SET).isPresent());
    return Future.succeededFuture();
  }
}
