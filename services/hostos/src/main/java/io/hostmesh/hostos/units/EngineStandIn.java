package io.hostmesh.hostos.units;

import io.hostmesh.hostos.HostOs;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.StandInHealth;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;

/**
 * balena (sim stand-in for balenaEngine): starts after rollback-altboot, as balena.service, and
 * latches its health on {@link HostOsTopics#ENGINE}, which rollback-health's engine check reads
 * instead of running {@code balena-healthcheck}. Healthy unless the running slot was written by
 * {@code hostmesh sim hup --break engine}. Skipped on a real device and on a sim device without an
 * A/B host OS.
 */
public final class EngineStandIn extends UnitVerticle {
  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("balena")
      .description("Sim stand-in for balenaEngine: its health follows the slot's --break")
      .service()
      .after("bootloader", "rollback-altboot")
      .condition(SimHostOs.PRESENT)
      .publishes(HostOsTopics.ENGINE)
      .build();

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    String broken;
    try {
      broken = SimHostOs.runningBreak(unit());
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    boolean healthy = !broken.contains("engine");
    String detail = healthy ? "" : "the engine of this OS is broken (hup --break engine)";
    if (!healthy) {
      unit().log().error("balena-healthcheck fails: " + detail);
      unit().status("unhealthy: " + detail);
    }
    unit().bus().publish(HostOsTopics.ENGINE, new StandInHealth(unit().name(), healthy, detail));
    return Future.succeededFuture();
  }
}
